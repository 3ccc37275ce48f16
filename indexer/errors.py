"""The two error bases of accord; every module raises subclasses of them."""


class AccordError(Exception):
    """A failure the user can act on; the CLI prints it and exits 1."""


class InvalidInput(AccordError):
    """A bad option value or query; the CLI prints it and exits 2."""
