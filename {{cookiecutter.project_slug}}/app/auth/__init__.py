"""Who is calling: how a request signs in, and the `CurrentUser` dependency routes take."""
