"""Officials named in Kazakh (Cyrillic, and Latin through the pipeline's Cyrillic view) with case endings,
and a generic head of state right before a name ("Мемлекет басшысы Қасым-Жомарт Тоқаев") is that person."""

import pytest

from karavan.annotate.people import find_people
from karavan.doc import Doc
from karavan.pipeline import process

FORMS = [
    ("Сердар Бердімұхамедовпен", "Serdar Berdimuhamedov"),
    ("Ли Цянмен", "Li Qiang"),
    ("Михаил Мишустинмен", "Mikhail Mishustin"),
    ("Шавкат Мирзиёевпен", "Shavkat Mirziyoyev"),
    ("Емомали Рахмонмен", "Emomali Rahmon"),
    ("Ілхам Әлиевпен", "Ilham Aliyev"),
    ("Жеенбек Құлұбаевпен", "Jeenbek Kulubaev"),
    ("Адылбек Қасымалиевке", "Adylbek Kasymaliev"),
    ("Кохир Расулзодамен", "Kokhir Rasulzoda"),
    ("Си Цзиньпиннің", "Xi Jinping"),
]


@pytest.mark.parametrize(("form", "name"), FORMS)
def test_people_kazakh_case_forms(form: str, name: str) -> None:
    text = f"Ол 2024 жылы {form} кездесті."
    people = find_people(Doc("t", text, published="2024-06-01"))
    assert [(m.value, text[m.start : m.end]) for m in people] == [(name, form)]


LATIN = [
    ("Serdar Berdimuhamedovpen", "Serdar Berdimuhamedov"),
    ("Mıhaıl Mıshýstınmen", "Mikhail Mishustin"),
    ("Shavkat Mırzıeevpen", "Shavkat Mirziyoyev"),
    ("Emomalı Rahmonmen", "Emomali Rahmon"),
]


@pytest.mark.parametrize(("form", "name"), LATIN)
def test_people_kazakh_latin_case_forms(form: str, name: str) -> None:
    text = f"Qazaqstan Prezıdenti Qasym-Jomart Toqaev {form} kezdesti."
    doc = process(Doc("t", text, published="2024-06-01"))
    people = [(m.value, text[m.start : m.end]) for m in doc.mentions if m.kind == "person"]
    assert (name, form) in people


def test_people_generic_head_before_a_name_is_that_name() -> None:
    text = (
        "Toqaev pen Berdimuhamedov kezdesti\n\nMemleket basshysy Qasym-Jomart Toqaev Ashgabatta "
        "Túrkimenstan Prezıdenti Serdar Berdimuhamedovpen kezdesti."
    )
    doc = process(Doc("t", text, published="2024-06-14"))
    head = [m for m in doc.mentions if m.kind == "person" and text[m.start : m.end] == "Memleket basshysy"]
    assert [m.value for m in head] == ["Kassym-Jomart Tokayev"]
