"""Sign-in beyond the password: second factors (allauth.mfa), single sign-on over OpenID
Connect (allauth.socialaccount) and the rules tying them to the dashboard's roles."""
