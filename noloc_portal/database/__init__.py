"""How the portal talks to its database beyond Django's defaults (see ``loaders``)."""
