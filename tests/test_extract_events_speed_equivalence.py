"""The shortcuts that make the meeting, agreement and project extractors cheaper give what the plain
scans they replace give: trying a pattern only at the gate's word starts, the head regex only just
before its head nouns, the gate's view hits tested in original offsets, words looked for with `in`."""

from __future__ import annotations

import re

import pytest

from karavan.annotate.people_data import caseless
from karavan.doc import Doc, View
from karavan.extract import agreement, meeting, project

TEXTS = [
    "Президент Казахстана Касым-Жомарт Токаев провел переговоры с Шавкатом Мирзиёевым.",
    "Встреча с журналистами прошла в Астане, а встречи в узком составе продолжились.",
    "Стороны подписали Соглашение о союзническом взаимодействии и «Дорожную карту по развитию».",
    "Программа экономического сотрудничества на 2025-2027 годы подписана; запланированного соглашения о",
    "Подписаны новой экономической программы по развитию и межправсоглашение о торговле.",
    "Ранее принятой стратегии о сотрудничестве; экономико-торговой программы по развитию",
    "Tokayev met Mirziyoyev; the sides signed an agreement on trade and a road map for cooperation.",
    "Тараптар логистикалық орталық салу туралы келісімге қол қойды, зауыт құрылысы басталды.",
    "Началось строительство ферросплавного завода в Таш-Кумыре и совместное создание нового предприятия.",
    "перестроительство, недостроительство завода; ПЕРЕГОВОРЫ в ВИЗИТЕ, МЕМОРАНДУМ о сотрудничестве",
    "Kazakstan men Ozbekstan  «ДОГОВОР о стратегическом партнерстве» подписан",
    "",
]


def _slices(text: str) -> list[tuple[int, int]]:
    """Every sentence a text can be cut into from each of its offsets: also inside words."""
    return [(a, len(text)) for a in range(len(text))] + [(0, b) for b in range(0, len(text), 7)]


def _spans(found) -> list[tuple[int, int]]:
    return [m.span() for m in found]


@pytest.mark.parametrize("text", TEXTS)
def test_extract_meeting_triggers_at_word_starts(text: str) -> None:
    rules = meeting._rules()
    hits = rules["trigger_gate"].hits(caseless(text))
    plain_not_after = re.compile(r"^" + rules["not_after"].pattern, re.IGNORECASE)
    for a, b in _slices(text):
        at = hits.first(a, b)
        if at is None:
            continue
        sent = text[a:b]
        cands = hits.word_starts(text, a, b)
        plain = [
            m for m in rules["trigger"].finditer(sent, at - a) if not plain_not_after.match(sent[m.end() :])
        ]
        assert _spans(meeting._triggers(sent, at - a, cands)) == _spans(plain), (a, b)


@pytest.mark.parametrize("text", TEXTS)
def test_extract_agreement_heads_tried_before_head_nouns(text: str) -> None:
    rules = agreement._rules()
    hits = rules.head_gate.hits(caseless(text))
    for a, b in _slices(text):
        at = hits.first(a, b)
        if at is None:
            continue
        sent = text[a:b]
        pos = agreement._name_start_bound(sent, at - a)
        heads = hits.word_starts(text, a, b)
        found = agreement._heads(sent, pos, heads, rules)
        assert [m.groups() for m in found] == [m.groups() for m in rules.head.finditer(sent, pos)]
        assert _spans(found) == _spans(rules.head.finditer(sent, pos)), (a, b)


@pytest.mark.parametrize("text", TEXTS)
def test_extract_project_actions_at_word_starts(text: str) -> None:
    rules = project._rules()
    low = caseless(text)
    hits = rules.gate.hits(low)
    for a, b in _slices(text):
        if not hits.within(a, b):
            continue
        sent = text[a:b]
        cands = hits.word_starts(text, a, b)
        assert _spans(project.scan(rules.action, sent, cands)) == _spans(rules.action.finditer(sent))
        if not project._may_head_last(low, a, cands, rules):
            assert not list(rules.kk.finditer(sent)), (a, b)


@pytest.mark.parametrize(
    ("text", "to_orig"),
    [
        ("abc туралы def", list(range(15))),  # identity
        ("ab туралы", [0, 2, 3, 3, 4, 5, 6, 7, 8, 12]),  # dropped and doubled characters
        ("туралы жөніндегі", [i * 2 for i in range(17)]),
    ],
)
def test_extract_gate_hits_in_original_offsets(text: str, to_orig: list[int]) -> None:
    view = View(text, to_orig)
    hits = agreement._rules().kk_gate.hits(caseless(text))
    orig = hits.mapped(view.to_orig)
    inv = view.inverse(to_orig[-1])
    n = to_orig[-1]
    for s in range(n + 1):
        for e in range(s, n + 1):
            assert orig.within(s, e) == hits.within(inv[s], inv[e]), (s, e)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("narrow", "встреча прошла В УЗКОМ ФОРМАТЕ"),
        ("narrow", "встреча один на один"),
        ("narrow", "встреча прошла в узком\nсоставе"),
        ("extended", "переговоры в расширенном составе"),
        ("extended", "Talks in an Extended Format"),
        ("today", "Сегодня в Астане"),
        ("yesterday", "Вчера, KESHE"),
        ("event", "на полях Евразийского межправительственного совета"),
        ("event", "в рамках Саммита ШОС"),
    ],
)
def test_extract_meeting_words_before_patterns(kind: str, text: str) -> None:
    """Wherever the pattern matches, its words are in the text; where none is, it does not match."""
    rules = meeting._rules()
    low = text if kind == "event" else caseless(text)
    for a in range(len(text)):
        part, low_part = text[a:], caseless(text[a:]) if kind != "event" else text[a:]
        if rules[kind].search(part):
            assert meeting.may_hold(rules[kind + "_words"], low_part), (kind, a)
    assert meeting.may_hold(rules[kind + "_words"], low) == bool(rules[kind].search(text))


def test_extract_meeting_words_are_known() -> None:
    rules = meeting._rules()
    for kind in ("narrow", "extended", "event", "today", "yesterday"):
        assert rules[kind + "_words"], kind


def test_extract_events_same_on_bare_and_annotated_doc() -> None:
    """The extractors on a bare Doc (no gate shortcuts through annotate) still find the facts."""
    text = (
        "Касым-Жомарт Токаев и Шавкат Мирзиёев провели переговоры в Астане.\n"
        "Стороны подписали Соглашение о союзническом взаимодействии между Казахстаном и Узбекистаном."
    )
    doc = Doc("d", text, published="2024-05-02")
    assert [f.fields["name"] for f in agreement.extract_agreements(doc)] == [
        "Соглашение о союзническом взаимодействии между Казахстаном"
    ]
    assert [f.fields["countries"] for f in meeting.extract_meetings(doc)] == [["KZ", "UZ"]]
