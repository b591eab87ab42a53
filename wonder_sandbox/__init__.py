"""An embedded stand-in for the Wonder payment gateway's Open API (Hong Kong).

It serves the customer endpoints the dashboard reads, verifies Wonder-RSA-SHA256 signatures
like the real gateway, generates up to millions of deterministic customers on demand, and
can be told to misbehave (latency, errors, timeouts, malformed answers) for tests, demos
and benchmarks. It shares no code with the dashboard and imports neither it nor Django.

Entry points: ``python -m wonder_sandbox`` (a process), ``server.start_in_thread`` (in a
test), ``app.make_app`` (any WSGI server). README.md in this folder has the details.
"""

__all__: list[str] = []
