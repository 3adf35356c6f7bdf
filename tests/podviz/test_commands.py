"""``manage.py simulate`` prints what ``python -m simulator run`` prints; ``loadpresets`` stores the
built-in scenarios once, versions the changed ones and keeps edits made here."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scenarios import store as scenario_store
from scenarios.models import SavedScenario
from scenarios.store import PresetSync
from simulator.scenario import presets

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = """\
apiVersion: podviz/v1
kind: Scenario
metadata: {name: web}
spec:
  duration: 90
  seed: 3
  traffic: {requestsPerSecond: 30}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - {name: app, image: nginx:1.27, livenessProbe: {httpGet: {path: /, port: 80}}}
  events:
  - {at: 20, action: AppHang, pod: web-2}
"""


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A migrated SQLite database for the commands run as processes, named as in production."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'podviz.sqlite3'}"
    manage("migrate", "--noinput", database_url=url, check=True)
    return url


def manage(*arguments, database_url, check=False):
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=check,
    )


def simulator_cli(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "simulator", "run", *arguments], cwd=ROOT, capture_output=True
    )


def assert_same_output(ours, theirs):
    assert (ours.returncode, ours.stdout, ours.stderr) == (
        theirs.returncode,
        theirs.stdout,
        theirs.stderr,
    )


# simulate ---------------------------------------------------------------------------------------


def test_simulate_a_preset_prints_the_same_json_as_the_cli(database_url):
    slug = presets.preset_slugs()[0]
    options = ("--json", "--seed", "5", "--duration", "60")
    ours = manage("simulate", slug, *options, database_url=database_url)
    theirs = simulator_cli(slug, *options)
    assert theirs.returncode == 0 and theirs.stdout.startswith(b'{"scenario":')
    assert_same_output(ours, theirs)


def test_simulate_a_file_prints_the_same_report_as_the_cli(database_url, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(SCENARIO)
    ours = manage("simulate", str(path), database_url=database_url)
    theirs = simulator_cli(str(path))
    assert b"== default ==" in theirs.stdout
    assert_same_output(ours, theirs)


@pytest.mark.parametrize(
    "arguments",
    [("{broken}",), ("{valid}", "--duration", "forever"), ("{valid}", "--duration", "99999")],
    ids=["invalid-file", "unreadable-duration", "duration-over-the-limit"],
)
def test_invalid_input_exits_2_with_the_same_problems_as_the_cli(database_url, tmp_path, arguments):
    valid, broken = tmp_path / "web.yaml", tmp_path / "broken.yaml"
    valid.write_text(SCENARIO)
    broken.write_text(SCENARIO.replace("replicas: 2", "replicas: -2").replace("seed: 3", "seed: x"))
    arguments = [argument.format(valid=valid, broken=broken) for argument in arguments]
    ours = manage("simulate", *arguments, database_url=database_url)
    theirs = simulator_cli(*arguments)
    assert theirs.returncode == 2 and theirs.stdout == b"" and theirs.stderr
    assert_same_output(ours, theirs)


def test_an_unknown_target_exits_2(database_url):
    ours = manage("simulate", "no-such-scenario", database_url=database_url)
    assert (ours.returncode, ours.stdout) == (2, b"")
    assert ours.stderr.startswith(b"no-such-scenario: no such file, saved scenario or preset")


def test_loadpresets_then_simulate_runs_the_saved_copy_as_the_cli_runs_the_preset(database_url):
    loaded = manage("loadpresets", database_url=database_url)
    assert loaded.returncode == 0, loaded.stderr
    slug = presets.preset_slugs()[-1]
    options = ("--json", "--duration", "45")
    assert_same_output(
        manage("simulate", slug, *options, database_url=database_url),
        simulator_cli(slug, *options),
    )


@pytest.mark.django_db
def test_simulate_runs_a_saved_scenario_by_slug(tmp_path):
    scenario_store.create(SCENARIO)
    path = tmp_path / "web.yaml"
    path.write_text(SCENARIO)
    out = io.StringIO()
    call_command("simulate", "web", "--json", stdout=out)
    theirs = simulator_cli(str(path), "--json")
    assert out.getvalue().encode() == theirs.stdout


@pytest.mark.django_db
def test_simulate_exits_2_for_an_unknown_slug():
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("simulate", "nobody", stderr=err)
    assert exited.value.code == 2
    assert err.getvalue().startswith("nobody: no such file, saved scenario or preset (presets: ")


# loadpresets ------------------------------------------------------------------------------------


@pytest.fixture
def preset_directory(tmp_path, monkeypatch):
    """A copy of two presets that a test may change."""
    for slug in presets.preset_slugs()[:2]:
        shutil.copy(presets.SCENARIOS_DIRECTORY / f"{slug}.yaml", tmp_path)
    monkeypatch.setattr(presets, "SCENARIOS_DIRECTORY", tmp_path)
    return tmp_path


def load_presets(*arguments):
    out = io.StringIO()
    call_command("loadpresets", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def versions():
    return dict(SavedScenario.objects.values_list("slug", "version"))


@pytest.mark.django_db
def test_loadpresets_stores_every_preset_once():
    first = load_presets()
    slugs = presets.preset_slugs()
    assert versions() == dict.fromkeys(slugs, 1)
    assert first.startswith(f"created: {', '.join(slugs)}")
    for slug in slugs:
        saved = SavedScenario.objects.get(slug=slug)
        assert (saved.origin, saved.yaml_text) == (slug, scenario_store.preset_text(slug))
    updated_at = dict(SavedScenario.objects.values_list("slug", "updated_at"))
    second = load_presets()
    assert second == f"unchanged: {', '.join(slugs)}\n"
    assert versions() == dict.fromkeys(slugs, 1)
    assert dict(SavedScenario.objects.values_list("slug", "updated_at")) == updated_at


@pytest.mark.django_db
def test_a_changed_preset_gets_a_new_version(preset_directory):
    changed, same = presets.preset_slugs()
    load_presets()
    path = preset_directory / f"{changed}.yaml"
    path.write_text(path.read_text() + "# a note added to the preset\n")
    output = load_presets()
    assert f"updated (the preset changed): {changed}" in output
    assert versions() == {changed: 2, same: 1}
    assert SavedScenario.objects.get(slug=changed).yaml_text == path.read_text()
    # The next preset change is taken too: the copy is still not edited here.
    path.write_text(path.read_text() + "# another\n")
    load_presets()
    assert versions()[changed] == 3


@pytest.mark.django_db
def test_edits_made_here_are_kept_and_listed_unless_forced(preset_directory):
    edited, _ = presets.preset_slugs()
    load_presets()
    text = scenario_store.preset_text(edited) + "# edited in the dashboard\n"
    scenario_store.update(edited, text, based_on_version=1)
    path = preset_directory / f"{edited}.yaml"
    path.write_text(path.read_text() + "# the preset moved on\n")
    output = load_presets()
    assert f"left alone (edited here; --force replaces the edits): {edited}" in output
    assert SavedScenario.objects.get(slug=edited).yaml_text == text
    forced = load_presets("--force")
    assert f"overwritten (edits made here replaced by the preset, --force): {edited}" in forced
    saved = SavedScenario.objects.get(slug=edited)
    assert (saved.yaml_text, saved.version) == (path.read_text(), 3)
    assert load_presets().startswith("unchanged:")


@pytest.mark.django_db
def test_an_edit_back_to_the_preset_text_is_in_step_again(preset_directory):
    slug, _ = presets.preset_slugs()
    load_presets()
    preset = scenario_store.preset_text(slug)
    scenario_store.update(slug, preset + "# tried something\n", based_on_version=1)
    scenario_store.update(slug, preset, based_on_version=2)
    assert scenario_store.sync_preset(slug) is PresetSync.UNCHANGED
    path = preset_directory / f"{slug}.yaml"
    path.write_text(preset + "# the preset moved on\n")
    assert scenario_store.sync_preset(slug) is PresetSync.UPDATED


@pytest.mark.django_db
def test_a_saved_scenario_of_a_preset_name_not_from_it_is_never_replaced(preset_directory):
    slug, other = presets.preset_slugs()
    SavedScenario.objects.create(slug=slug, title="Mine", yaml_text="mine", origin="")
    output = load_presets("--force")
    assert f"left alone (a saved scenario of that name, not a preset): {slug}" in output
    assert SavedScenario.objects.get(slug=slug).yaml_text == "mine"
    assert versions()[other] == 1


@pytest.mark.django_db
def test_an_invalid_preset_is_reported_and_the_others_stored(preset_directory):
    broken, fine = presets.preset_slugs()
    (preset_directory / f"{broken}.yaml").write_text("apiVersion: podviz/v1\nkind: Scenario\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match=f"1 preset\\(s\\) not stored: {broken}"):
        call_command("loadpresets", stdout=io.StringIO(), stderr=err)
    assert f"{broken}: not stored:" in err.getvalue()
    assert "metadata.name: Required value" in err.getvalue()
    assert versions() == {fine: 1}
