"""The demo's data files: a bad value fails with a DemoError naming the file and the entry."""

import pytest

from demo import blocks
from demo.data import DATA_DIR, read
from demo.seed import DemoError
from demo.steps.community import CAR_MODELS, load_people, load_posts
from demo.steps.events import load_events

MEMBER = """
[[staff]]
email = "staff@paddock.localhost"
name = "Hannah Price"
town = "Saltmouth"
bio = "Community manager."
joined = 2024-01-15
is_staff = true

[[members]]
email = "priya.shah@paddock.localhost"
name = "Priya Shah"
town = "Exeter"
bio = "Electric convert."
joined = 2024-04-22
"""


def _write(tmp_path, name: str, text: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return read(name, folder=tmp_path)


def test_demo_data_files_shipped_load():
    for path in sorted(DATA_DIR.glob("*.toml")):
        assert read(path.name).content, path.name


def test_demo_member_with_a_bad_visibility_names_file_and_entry(tmp_path):
    file = _write(tmp_path, "members.toml", MEMBER + 'visibility = "everyone"\n')

    with pytest.raises(DemoError) as excinfo:
        load_people(file, car_models=CAR_MODELS)

    message = str(excinfo.value)
    assert "members.toml" in message and "'priya.shah@paddock.localhost'" in message
    assert "visibility = 'everyone' is not one of public, members, private" in message
    assert excinfo.value.code == "bad_data"


def test_demo_member_with_a_date_written_as_text_is_refused(tmp_path):
    file = _write(tmp_path, "members.toml", MEMBER.replace("2024-04-22", '"22 April 2024"'))

    with pytest.raises(DemoError, match=r"members 'priya.shah@paddock.localhost': joined should"):
        load_people(file, car_models=CAR_MODELS)


def test_demo_member_missing_a_key_or_with_an_unknown_one_is_refused(tmp_path):
    missing = _write(tmp_path, "members.toml", MEMBER.replace('town = "Exeter"\n', ""))
    with pytest.raises(DemoError, match="town is missing"):
        load_people(missing, car_models=CAR_MODELS)

    unknown = _write(tmp_path, "extra.toml", MEMBER + 'nickname = "P"\n')
    with pytest.raises(DemoError, match="unknown key nickname"):
        load_people(unknown, car_models=CAR_MODELS)


def test_demo_car_of_an_unknown_model_names_its_owner(tmp_path):
    car = '\n[[members.cars]]\nmodel = "Cooper Z"\nyear = 2022\ncolour = "Island Blue"\n'
    file = _write(tmp_path, "members.toml", MEMBER + car)

    with pytest.raises(DemoError) as excinfo:
        load_people(file, car_models=CAR_MODELS)

    assert "'priya.shah@paddock.localhost'" in str(excinfo.value)
    assert "car model 'Cooper Z' is not in car_models.toml" in str(excinfo.value)


def test_demo_post_by_someone_who_is_not_a_demo_member_is_refused(tmp_path):
    file = _write(
        tmp_path,
        "posts.toml",
        '[[posts]]\nauthor = "zoe"\ntitle = "Hello"\ndays_ago = 1\nreactions = "alex:like"\n',
    )

    with pytest.raises(DemoError, match=r"posts.toml: posts 'Hello': not demo members: \['zoe'\]"):
        load_posts(file, who={"alex": "member@paddock.localhost"}, clubs=[])


def test_demo_event_with_an_unknown_weekday_is_refused(tmp_path):
    shipped = (DATA_DIR / "events.toml").read_text(encoding="utf-8")
    file = _write(tmp_path, "events.toml", shipped.replace('"sunday"', '"funday"', 1))

    with pytest.raises(DemoError, match="events 'cars-and-coffee-on-the-quay': weekday = 'funday'"):
        load_events(file)


def test_demo_data_file_that_is_not_toml_names_the_file(tmp_path):
    with pytest.raises(DemoError, match=r"broken.toml: not valid TOML"):
        _write(tmp_path, "broken.toml", "[[members]\nemail = \n")


def test_demo_page_text_with_an_unknown_placeholder_is_refused(tmp_path):
    file = _write(tmp_path, "pages.toml", "")
    body = [{"paragraph": "<p>Run by ${dealer}.</p>"}]

    with pytest.raises(DemoError, match="pages 'privacy', body block 1: unknown placeholder"):
        blocks.body(body, file=file, entry="pages 'privacy'", pages={}, values={"name": "x"})


def test_demo_page_link_to_a_missing_page_becomes_plain_text(tmp_path):
    file = _write(tmp_path, "pages.toml", "")
    body = [
        {"paragraph": '<p>Read our <a linktype="page" slug="privacy">privacy notice</a>.</p>'},
        {"call_to_action": "Rules", "text": "Short.", "page": "house-rules", "button": "Read"},
    ]

    assert blocks.body(body, file=file, entry="pages 'x'", pages={}, values={}) == [
        {"type": "paragraph", "value": "<p>Read our privacy notice.</p>"}
    ]
