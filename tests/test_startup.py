"""Start-up configuration errors are clear messages, not tracebacks on the first page view."""

import pytest

from tests.processes import manage


def run_manage(*args: str, **env: str):
    # Without the developer's own Wonder settings: each test says which it sets.
    return manage(*args, without=("WONDER_",), **env)


def test_real_app_id_without_a_key_stops_start_up_naming_the_setting(tmp_path):
    result = run_manage(
        "check", SECRET_KEY="x" * 50, WONDER_APP_ID="app-123", DASHBOARD_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "WONDER_PRIVATE_KEY_FILE" in result.stderr


def test_real_app_id_with_an_unreadable_key_file_stops_start_up(tmp_path):
    result = run_manage(
        "check",
        SECRET_KEY="x" * 50,
        WONDER_APP_ID="app-123",
        WONDER_PRIVATE_KEY_FILE=str(tmp_path / "missing.pem"),
        DASHBOARD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "missing.pem cannot be read" in result.stderr


def test_real_app_id_with_a_valid_key_starts(tmp_path, key_pair):
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(key_pair.private_pem)
    result = run_manage(
        "check",
        SECRET_KEY="x" * 50,
        WONDER_APP_ID="app-123",
        WONDER_PRIVATE_KEY_FILE=str(key_file),
        DASHBOARD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr


def test_sandbox_mode_starts_without_keys_so_make_run_can_create_them(tmp_path):
    result = run_manage("check", DEBUG="true", DASHBOARD_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("debug", "message"), [("false", "SECRET_KEY"), ("maybe", "DEBUG must be true or false")]
)
def test_missing_secret_key_or_garbled_debug_is_refused(tmp_path, debug, message):
    result = manage("check", without=("SECRET_KEY",), DEBUG=debug, DASHBOARD_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert message in result.stderr


def test_dev_keys_command_creates_a_pair_the_dashboard_can_load(tmp_path):
    result = run_manage("wonder_dev_keys", DEBUG="true", DASHBOARD_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "wonder_dev_private.pem").stat().st_mode & 0o077 == 0
    assert (tmp_path / "wonder_dev_public.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY")


def test_a_fresh_clone_without_var_migrates_into_a_new_var_folder(tmp_path):
    var_dir = tmp_path / "var"  # git-ignored: a fresh clone has no var/ folder
    result = manage(
        "migrate",
        "--noinput",
        without=("DATABASE_URL", "REDIS_URL"),
        timeout=120,
        DEBUG="true",
        DASHBOARD_VAR_DIR=str(var_dir),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (var_dir / "dashboard.sqlite3").is_file()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MFA_REQUIRED_ROLES": "finance,boss"}, "MFA_REQUIRED_ROLES names unknown roles ['boss']"),
        ({"SSO_ISSUER_URL": "https://idp.example.com"}, "SSO_CLIENT_ID and SSO_CLIENT_SECRET"),
        (
            {
                "SSO_ISSUER_URL": "https://idp.example.com",
                "SSO_CLIENT_ID": "dashboard",
                "SSO_CLIENT_SECRET": "s",
                "SSO_GROUP_ROLES": "okta-finance=finance,okta-ops=operator",
            },
            "SSO_GROUP_ROLES entry 'okta-ops=operator' must be group=role",
        ),
    ],
)
def test_sign_in_settings_errors_stop_start_up_naming_the_setting(tmp_path, env, message):
    result = run_manage("check", SECRET_KEY="x" * 50, DASHBOARD_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr
