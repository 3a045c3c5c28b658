"""Row ids from outside (a URL, a query string, a form): a number within BigAutoField's range, or none at all."""

BIGGEST_ID = 2**63 - 1  # BigAutoField's


def as_id(value) -> int | None:
    """The id `value` stands for; None for anything else ("abc", "1.5", "²", a number past the database's integers).

    A lookup by None finds no row, so `filter(pk=as_id(value))` is empty instead of a database error.
    """
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= BIGGEST_ID else None


class IdConverter:
    """`<id:pk>` in every app's urls.py (registered in quyche/urls.py): an id, or no page (404).

    Django's `int` takes any number of digits, and one past BigAutoField's range fails in the database.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = as_id(value)
        if number is None:
            raise ValueError(value)  # Django reads a ValueError here as "no match"
        return number

    def to_url(self, value) -> str:
        return str(value)
