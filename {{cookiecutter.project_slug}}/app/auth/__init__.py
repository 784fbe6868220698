"""Who is calling: {% if cookiecutter.auth == "jwt" %}passwords, tokens and their revocation, and{% else %}the identity oauth2-proxy forwards, and{% endif %} the `CurrentUser` dependency."""
