"""How many meetings a document reports and which sentence each is quoted from: a visit and its talks are
one meeting quoted from the talks; a council's session, a meeting with business circles and a meeting in
another city are events of their own; a count of meetings, a speaker's aside and a 'total' are none."""

import pytest

from karavan.doc import Doc
from karavan.pipeline import process


def _meetings(text: str, published: str = "2024-06-14") -> list:
    return [f for f in process(Doc(id="t", text=text, published=published)).facts if f.type == "meeting"]


CASES = [
    # (text, [(countries, place, quote starts with), ...] in the order found)
    (  # an arrival on a visit, then the talks: one meeting, quoted from the talks
        "Президент Казахстана Касым-Жомарт Токаев прибыл в Ташкент с государственным визитом.\n"
        "Касым-Жомарт Токаев и Шавкат Мирзиёев провели переговоры в узком составе.",
        [(["KZ", "UZ"], "Tashkent", "Касым-Жомарт Токаев и Шавкат")],
    ),
    (
        "Kazakh President Kassym-Jomart Tokayev arrived in Baku on a state visit. "
        "Tokayev and Ilham Aliyev held talks in an expanded format.",
        [(["AZ", "KZ"], "Baku", "Tokayev and Ilham Aliyev")],
    ),
    (  # the session of a council of the two sides beside the talks: two events
        "Касым-Жомарт Токаев и Шавкат Мирзиёев провели переговоры в Самарканде. В тот же день в Самарканде "
        "прошло заседание Высшего государственного совета Казахстана и Узбекистана.",
        [
            (["KZ", "UZ"], "Samarkand", "Касым-Жомарт Токаев и Шавкат"),
            (["KZ", "UZ"], "Samarkand", "В тот же день"),
        ],
    ),
    (  # a meeting with business circles during the visit: apart from the talks
        "Олжас Бектенов и Акылбек Жапаров провели переговоры в Бишкеке. Затем Олжас Бектенов встретился "
        "с представителями деловых кругов Кыргызстана.",
        [
            (["KG", "KZ"], "Bishkek", "Олжас Бектенов и Акылбек"),
            (["KG", "KZ"], None, "Затем Олжас Бектенов"),
        ],
    ),
    (  # the same leaders met in another city: another meeting
        "Tokayev held talks with Mirziyoyev in Tashkent. Earlier, the two leaders met in Astana.",
        [
            (["KZ", "UZ"], "Tashkent", "Tokayev held talks"),
            (["KZ", "UZ"], "Astana", "Earlier, the two"),
        ],
    ),
    (
        "Токаев и Мирзиёев провели переговоры в Ташкенте. Лидеры также встретились в Астане на прошлой неделе.",
        [
            (["KZ", "UZ"], "Tashkent", "Токаев и Мирзиёев"),
            (["KZ", "UZ"], "Astana", "Лидеры также"),
        ],
    ),
    (  # a sentence naming nothing of the meeting gives its place to the one before
        "Министр иностранных дел Казахстана Мурат Нуртлеу встретился с послом Узбекистана.\nВстреча прошла в Астане.",
        [(["KZ", "UZ"], "Astana", "Министр иностранных дел")],
    ),
    (  # a welcome is a weaker statement than the sentence saying the presidents met («Бұл ... кездесуі»)
        "Президент Кыргызстана Садыр Жапаров прибыл в Астану. Ақорда мейманды салтанатпен қарсы алды. "
        "Бұл екі ел президенттерінің үшінші кездесуі.",
        [(["KG", "KZ"], "Astana", "Бұл екі ел")],
    ),
    (  # "the meeting" points back to the commission's session: one event
        "The 10th session of the Kazakhstan-Turkey intergovernmental commission was held in Ankara. Co-chaired "
        "by Kazakh Deputy Prime Minister Serik Zhumangarin and Turkish Minister Omer Bolat, the meeting "
        "focused on trade.",
        [(["KZ", "TR"], "Ankara", "The 10th session")],
    ),
    (  # the reporter's words after a closing quote mark report the session the speaker spoke at
        "«Мы довольны итогами», – сказал министр торговли Казахстана Арман Шаккалиев на заседании "
        "межправительственной комиссии Казахстана и Таджикистана.",
        [(["KZ", "TJ"], None, "«Мы довольны")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract_meeting_events_of_a_document(text: str, expected: list) -> None:
    facts = _meetings(text)
    got = [(f.fields["countries"], f.fields["place"], f.quote) for f in facts]
    assert len(got) == len(expected), got
    for (countries, place, quote), (want_c, want_p, want_q) in zip(got, expected, strict=True):
        assert countries == want_c
        assert place == want_p
        assert quote.startswith(want_q), quote


NOT_MEETINGS = [
    # a count of meetings is no report of one
    "С начала года между Казахстаном и Кыргызстаном состоялось четыре заседания рабочих групп.",
    "Kazakhstan and Uzbekistan have held 12 meetings of the working groups since January.",
    # «жиынтық» (total) is not «жиын» (a gathering)
    "Қазақстан мен Өзбекстан арасындағы тауар айналымының жиынтық көлемі 4 млрд долларға жетті.",
    # a session a speaker mentions inside his quote, in angle or straight quotes
    "«Итоги заседания комиссии Казахстана и Узбекистана нас радуют», – отметил он.",
    '"Вчера мы с президентом обсуждали торговлю на встрече", - сказал премьер-министр Узбекистана Абдулла '
    "Арипов в Астане. Казахстан и Узбекистан.",
    # a summit named as a point in time
    "Тарифы для Казахстана и Азербайджана снизили вскоре после саммита ОТГ.",
    "Tariffs between Kazakhstan and Azerbaijan fell soon after the SCO summit.",
    # a summit planned for a later year
    "Kazakhstan plans to hold the summit of Central Asian states in 2027 together with Uzbekistan.",
    # where someone spoke, naming no side: no meeting of two countries
    "Қазақстан мен Өзбекстан. Экспорт 20 процентке өсті, - деді вице-министр мәжілісте өткен отырыста.",
]


@pytest.mark.parametrize("text", NOT_MEETINGS)
def test_extract_meeting_not_events(text: str) -> None:
    assert _meetings(text) == []


def test_extract_meeting_long_line_without_stop_is_body_not_headline() -> None:
    # a crawled paragraph that lost its full stop (markup at its end) is a body sentence, quoted first
    body = (
        "Премьер-министр Казахстана Олжас Бектенов и председатель кабинета министров Кыргызстана Адылбек "
        "Касымалиев провели переговоры в Астане и обсудили транзит грузов, водные вопросы и промышленную "
        "кооперацию двух стран <br>"
    )
    text = "Бектенов и Касымалиев провели переговоры\n" + body
    facts = _meetings(text)
    assert len(facts) == 1
    assert facts[0].quote.startswith("Премьер-министр Казахстана")
