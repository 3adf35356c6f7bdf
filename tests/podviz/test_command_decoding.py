"""Decoding a viewer's message: every malformed one is a CommandError naming the problem."""

import json

import pytest

from runs import commands
from runs.commands import MAX_COMMAND_BYTES
from runs.live_run import CommandError


def refusal(text_data, bytes_data=None) -> CommandError:
    with pytest.raises(CommandError) as refused:
        commands.decode(text_data, bytes_data)
    return refused.value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 2040 + "]" * 2040, "bad_json"),
        ('{"type": ' + "[" * 2000 + "]" * 2000 + "}", "bad_json"),
        ('{"type": "inject", "action": ["NodeDown"], "node": "node1"}', "bad_value"),
        ('{"type": "inject", "action": {"NodeDown": 1}, "node": "node1"}', "bad_value"),
        ('{"type": ["play"]}', "unknown_command"),
        ('{"type": {"a": 1}}', "unknown_command"),
        ('{"type": "speed", "speed": NaN}', "bad_json"),
        ('{"type": "speed", "speed": Infinity}', "bad_json"),
        ('{"type": "seek", "time": 1' + "0" * 400 + "}", "bad_value"),
        ('{"type": "seek", "time": 1' + "0" * 4000 + "}", "bad_value"),
        ('{"type": "inject", "action": "AppCrash", "pod": "web-1", "exitCode": 3.5}', "bad_value"),
        ('{"type": "inject", "action": "AppCrash", "pod": "web-1", "exitCode": 256}', "bad_value"),
        ('{"type": "inject", "action": "AppCrash", "pod": "web-1", "exitCode": "3"}', "bad_value"),
        ('{"type": "step", "seconds": null}', "bad_value"),
        ('"play"', "bad_json"),
        ("\ud800", "bad_json"),
    ],
)
def test_malformed_commands_are_refused_with_a_code(text, code):
    assert refusal(text).code == code


def test_binary_frames_are_refused_even_when_they_are_json():
    assert refusal(None, b'{"type": "play"}').code == "bad_message"
    assert refusal(None, b"\xff\xfe\x00").code == "bad_message"


def test_the_size_limit_counts_utf8_bytes_not_characters():
    # 1,100 emoji: fewer characters than the limit, four times as many bytes.
    emoji = json.dumps({"type": "play", "pad": "😀" * 1100}, ensure_ascii=False)
    assert len(emoji) < MAX_COMMAND_BYTES < len(emoji.encode("utf-8"))
    error = refusal(emoji)
    assert error.code == "too_large" and f"{MAX_COMMAND_BYTES} bytes" in str(error)
    just_fits = json.dumps({"type": "play", "pad": "é" * 1000}, ensure_ascii=False)
    assert len(just_fits.encode("utf-8")) <= MAX_COMMAND_BYTES
    assert commands.decode(just_fits) == commands.Simple("play")


def test_a_whole_exit_code_is_taken_and_a_fraction_is_named():
    error = refusal('{"type": "inject", "action": "AppCrash", "pod": "web-1", "exitCode": 3.5}')
    assert str(error).startswith("exitCode: 3.5 is not a whole number")
    command = commands.decode(
        '{"type": "inject", "action": "AppCrash", "pod": "web-1", "exitCode": 3}'
    )
    assert command.event.exit_code == 3


def test_an_action_of_the_wrong_type_names_the_field():
    error = refusal('{"type": "inject", "action": [1, 2]}')
    assert str(error).startswith("action: must be one of NodeDown")


def test_valid_commands_decode():
    assert commands.decode('{"type": "seek", "time": 12.5}') == commands.Seek(12.5)
    assert commands.decode('{"type": "speed", "speed": 4}') == commands.Speed(4.0)
