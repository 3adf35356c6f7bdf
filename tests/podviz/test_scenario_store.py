"""The store's rules: only valid documents are saved, edits name their version, text is kept
byte for byte, and lookups find saved scenarios before built-in ones."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from scenarios import store as scenario_store
from scenarios.models import SavedScenario
from scenarios.store import (
    InvalidScenario,
    NameTaken,
    ScenarioNotFound,
    StaleVersion,
    StoreError,
)
from simulator.scenario.presets import load_preset, preset_slugs
from simulator.scenario.validation import ScenarioError

pytestmark = pytest.mark.django_db

TEMPLATE = """\
# A comment the author wrote: kept as written.
apiVersion: podviz/v1
kind: Scenario
metadata:
  name: {name}
  title: {{en: {title}, ko: 웹 서비스}}
spec:
  duration: {duration}
  seed: 7
  traffic: {{requestsPerSecond: 20}}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: web}}
    spec:
      replicas: {replicas}
      selector: {{matchLabels: {{app: web}}}}
      template:
        metadata: {{labels: {{app: web}}}}
        spec:
          containers:
          - name: app
            image: nginx:1.27
            readinessProbe: {{httpGet: {{path: /, port: 80}}, periodSeconds: 2}}
"""


def scenario_text(name="web", *, title="Web service", duration=60, replicas=2):
    return TEMPLATE.format(name=name, title=title, duration=duration, replicas=replicas)


@pytest.fixture
async def database_thread_closed():
    """Closes the connection an async test opened in Django's database thread (the test client
    keeps connections open across requests), so the test database can be dropped."""
    yield
    await sync_to_async(connections.close_all)()


def stored(slug):
    return SavedScenario.objects.get(slug=slug)


def position_of_value(text, key):
    """(line, column) of the value after ``key:`` in ``text``, counted from 1."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:"):
            return number, line.index(f"{key}:") + len(key) + 3
    raise AssertionError(key)


def test_create_keeps_the_text_as_written_at_version_1():
    text = scenario_text()
    saved = scenario_store.create(text)
    assert (saved.slug, saved.title, saved.version, saved.origin) == ("web", "Web service", 1, "")
    assert stored("web").yaml_text == text


def test_an_invalid_document_is_not_saved_and_every_problem_is_placed():
    text = scenario_text(duration="-5", replicas=300)
    with pytest.raises(InvalidScenario) as refused:
        scenario_store.create(text)
    problems = {problem.path: problem for problem in refused.value.problems}
    assert set(problems) >= {"spec.duration", "spec.workload.spec.replicas"}
    duration, replicas = problems["spec.duration"], problems["spec.workload.spec.replicas"]
    assert (duration.line, duration.column) == position_of_value(text, "duration")
    assert (replicas.line, replicas.column) == position_of_value(text, "replicas")
    assert not SavedScenario.objects.exists()


def test_a_name_already_saved_is_refused_with_its_version():
    scenario_store.create(scenario_text())
    with pytest.raises(NameTaken, match=r"'web' already exists \(version 1\)"):
        scenario_store.create(scenario_text(title="Another"))
    assert stored("web").title == "Web service"


@pytest.mark.parametrize("name", [preset_slugs()[0], "validate", "import", "from-manifest"])
def test_built_in_and_reserved_names_are_refused_at_metadata_name(name):
    text = scenario_text(name)
    with pytest.raises(InvalidScenario) as refused:
        scenario_store.create(text)
    (problem,) = refused.value.problems
    assert problem.path == "metadata.name"
    assert (problem.line, problem.column) == position_of_value(text, "name")


def test_update_replaces_the_text_and_increments_the_version():
    scenario_store.create(scenario_text())
    edited = scenario_text(title="Edited")
    saved = scenario_store.update("web", edited, based_on_version=1)
    assert (saved.version, saved.title, saved.yaml_text) == (2, "Edited", edited)
    assert saved.updated_at >= saved.created_at


def test_an_invalid_update_keeps_the_old_text_and_version():
    original = scenario_text()
    scenario_store.create(original)
    with pytest.raises(InvalidScenario) as refused:
        scenario_store.update("web", scenario_text(replicas="many"), based_on_version=1)
    assert refused.value.problems[0].path == "spec.workload.spec.replicas"
    assert (stored("web").yaml_text, stored("web").version) == (original, 1)


def test_a_stale_version_is_refused_and_the_newer_text_kept():
    scenario_store.create(scenario_text())
    first_tab = scenario_text(title="First tab")
    scenario_store.update("web", first_tab, based_on_version=1)
    scenario_store.update("web", scenario_text(title="Again"), based_on_version=2)
    scenario_store.update("web", first_tab, based_on_version=3)
    with pytest.raises(StaleVersion) as refused:
        scenario_store.update("web", scenario_text(title="Second tab"), based_on_version=3)
    assert str(refused.value) == (
        "this scenario was changed elsewhere (version 4, you edited version 3): "
        "reload it, or save yours under another name"
    )
    assert (stored("web").yaml_text, stored("web").version) == (first_tab, 4)


def test_a_stale_version_is_reported_even_when_the_edit_is_also_invalid():
    scenario_store.create(scenario_text())
    scenario_store.update("web", scenario_text(title="Newer"), based_on_version=1)
    with pytest.raises(StaleVersion):
        scenario_store.update("web", "not: [valid", based_on_version=1)


def test_an_update_may_not_rename_the_scenario():
    scenario_store.create(scenario_text())
    with pytest.raises(InvalidScenario, match="must stay 'web'"):
        scenario_store.update("web", scenario_text("renamed"), based_on_version=1)
    assert not SavedScenario.objects.filter(slug="renamed").exists()


def test_updating_an_unknown_scenario_is_not_found():
    with pytest.raises(ScenarioNotFound):
        scenario_store.update("nobody", scenario_text("nobody"), based_on_version=1)


def test_import_and_export_round_trip_byte_for_byte():
    # A byte order mark, CR LF line ends, trailing blanks and Korean text, all kept.
    data = ("\ufeff" + scenario_text().replace("\n", "  \r\n")).encode("utf-8")
    saved, created = scenario_store.import_file(data)
    assert created and saved.version == 1
    exported = scenario_store.export("web")
    assert exported.filename == "web.yaml"
    assert exported.content == data


def test_a_built_in_scenario_exports_its_file():
    slug = preset_slugs()[0]
    exported = scenario_store.export(slug)
    assert exported.content == scenario_store.preset_text(slug).encode("utf-8")


def test_import_refuses_a_name_clash_unless_overwriting_the_right_version(django_user_model):
    author = django_user_model.objects.create_user("author")
    scenario_store.create(scenario_text(), owner=author)
    replacement = scenario_text(title="Imported").encode()
    with pytest.raises(NameTaken):
        scenario_store.import_file(replacement, user=author)
    with pytest.raises(StoreError, match="give the version you are replacing"):
        scenario_store.import_file(replacement, overwrite=True, user=author)
    scenario_store.update("web", scenario_text(title="Meanwhile"), based_on_version=1)
    with pytest.raises(StaleVersion):
        scenario_store.import_file(replacement, overwrite=True, based_on_version=1, user=author)
    saved, created = scenario_store.import_file(
        replacement, overwrite=True, based_on_version=2, user=author
    )
    assert (created, saved.version, saved.title) == (False, 3, "Imported")


def test_import_refuses_bytes_that_are_not_utf8():
    with pytest.raises(InvalidScenario, match="not UTF-8 text: byte 0"):
        scenario_store.import_file(b"\xff\xfe" + scenario_text().encode("utf-16-le"))


def test_find_prefers_a_saved_scenario_and_falls_back_to_a_built_in_one():
    slug = preset_slugs()[0]
    built_in = scenario_store.find(slug)
    assert built_in.built_in and built_in.version is None
    scenario_store.create(scenario_text())
    saved = scenario_store.find("web")
    assert (saved.built_in, saved.version, saved.text) == (False, 1, scenario_text())
    with pytest.raises(ScenarioNotFound) as missing:
        scenario_store.find("nobody")
    assert isinstance(missing.value, KeyError)


def test_load_for_run_plays_saved_and_built_in_scenarios():
    scenario_store.create(scenario_text(duration=45))
    assert scenario_store.load_for_run("web").duration == 45
    slug = preset_slugs()[0]
    assert scenario_store.load_for_run(slug) == load_preset(slug)


def test_an_edited_copy_of_a_preset_is_what_plays():
    slug = preset_slugs()[0]
    scenario_store.sync_preset(slug)
    text = scenario_store.preset_text(slug).replace("seed: 42", "seed: 43", 1)
    assert text != scenario_store.preset_text(slug)
    scenario_store.update(slug, text, based_on_version=1)
    assert scenario_store.load_for_run(slug).seed == 43


def test_a_saved_text_the_loader_no_longer_accepts_fails_to_load_with_its_problems():
    SavedScenario.objects.create(slug="old", title="Old", yaml_text="apiVersion: podviz/v0")
    with pytest.raises(ScenarioError):
        scenario_store.load_for_run("old")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_aload_for_run_from_an_async_view():
    await SavedScenario.objects.acreate(slug="web", title="Web", yaml_text=scenario_text())
    scenario = await scenario_store.aload_for_run("web")
    assert scenario.name == "web"
    with pytest.raises(ScenarioNotFound):
        await scenario_store.aload_for_run("nobody")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000 + "]" * 50_000,  # crashes PyYAML's C composer
        "[" * 2_000 + "]" * 2_000,  # deeper than Python's recursion limit
        "- " * 50_000 + "x",
        "\n".join(
            ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
            + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
            + ["apiVersion: *a8"]
        ),
        "apiVersion: !!int abc",
        "apiVersion: 2001-13-45",
        "apiVersion: !!timestamp soon",
        "apiVersion: \ud800",
        "apiVersion: &loop [*loop]",
        "\x00",
        "",
    ],
    ids=[
        "deep-flow",
        "recursion",
        "deep-block",
        "alias-bomb",
        "bad-int",
        "bad-date",
        "bad-timestamp",
        "lone-surrogate",
        "self-containing",
        "nul",
        "empty",
    ],
)
def test_validate_answers_any_text_with_problems(text):
    validation = scenario_store.validate(text)
    assert not validation.valid
    assert validation.problems
