"""School days and the alphabetical order of names."""

from datetime import date

from app.attendance.calendar import Calendar, academic_year_of
from app.attendance.models import Term
from app.i18n.collation import sort_key

WEEKDAYS = frozenset(range(5))


def term(start, end, number=2):
    return Term(academic_year="2026-2027", number=number, starts_on=start, ends_on=end)


def test_without_terms_every_weekday_is_a_school_day():
    calendar = Calendar(terms=(), weekdays=WEEKDAYS)
    assert calendar.is_school_day(date(2026, 11, 18))
    assert not calendar.is_school_day(date(2026, 11, 21))  # Saturday


def test_days_between_terms_are_holidays():
    calendar = Calendar(
        terms=(
            term(date(2026, 9, 1), date(2026, 10, 25), 1),
            term(date(2026, 11, 3), date(2026, 12, 28)),
        ),
        weekdays=WEEKDAYS,
    )
    assert not calendar.is_school_day(date(2026, 10, 28))
    assert calendar.is_school_day(date(2026, 11, 3))


def test_the_last_school_days_skip_weekends_and_holidays():
    calendar = Calendar(terms=(term(date(2026, 11, 3), date(2026, 12, 28)),), weekdays=WEEKDAYS)
    days = calendar.school_days_back(date(2026, 11, 9), 7)
    assert days == [date(2026, 11, d) for d in (9, 6, 5, 4, 3)]  # nothing before the term


def test_saturday_schools_can_be_configured():
    calendar = Calendar(terms=(), weekdays=frozenset(range(6)))
    assert calendar.is_school_day(date(2026, 11, 21))


def test_the_term_of_a_day_in_the_holidays_is_the_one_before():
    calendar = Calendar(terms=(term(date(2026, 9, 1), date(2026, 10, 25), 1),), weekdays=WEEKDAYS)
    assert calendar.term_for(date(2026, 10, 30)) == (date(2026, 9, 1), date(2026, 10, 25))


def test_academic_year():
    assert academic_year_of(date(2026, 11, 18)) == "2026-2027"
    assert academic_year_of(date(2027, 3, 1)) == "2026-2027"


def ordered(names, lang):
    return sorted(names, key=lambda n: sort_key(n, lang))


def test_kazakh_order_follows_the_kazakh_alphabet():
    names = ["Ілияс", "Ыбырай", "Өмір", "Олжас", "Әсел", "Асан", "Бек", "Ұлан", "Үміт", "Уәли"]
    assert ordered(names, "kk") == [
        "Асан",
        "Әсел",
        "Бек",
        "Олжас",
        "Өмір",
        "Уәли",
        "Ұлан",
        "Үміт",
        "Ыбырай",
        "Ілияс",
    ]


def test_kazakh_order_has_yo_as_a_letter_of_its_own_after_ye():
    names = ["Жан", "Ёлка", "Ерлан", "Ежов"]
    assert ordered(names, "kk") == ["Ежов", "Ерлан", "Ёлка", "Жан"]


def test_russian_order_puts_kazakh_letters_next_to_their_base_and_yo_with_ye():
    names = ["Ілияс", "Иван", "Ёлка", "Ежов", "Жан", "Әсел", "Бек"]
    assert ordered(names, "ru") == ["Әсел", "Бек", "Ежов", "Ёлка", "Жан", "Иван", "Ілияс"]


def test_order_ignores_case():
    assert ordered(["бек", "Бақыт", "асан"], "kk") == ["асан", "Бақыт", "бек"]
