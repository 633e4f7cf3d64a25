"""Smoke test of the Python client that openapi-python-client generated from dist/dialog.json.

It creates dialogs with both authentication schemes against a server of its own on 127.0.0.1 that answers
with recorded responses (publish/python/recorded/), checks the headers and bodies as the server received
them, and reads the created dialog and both error shapes back through the generated client.
With --base-url it talks to a running contract server instead and checks only what comes back.
With --wire-url (publish/wire/capture.py) it also lists dialogs with filters and deletes two dialogs there, so
that check.sh can compare what went on the wire with publish/snapshots/wire-python.txt.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = Path(__file__).parent / "recorded"
SESSION_TOKEN = "smoke-session-token"
API_KEY = "smoke-api-key"
EXPIRED_TOKEN = "smoke-expired-token"


class Recorder(BaseHTTPRequestHandler):
    """Answers POST /chat/Dialog.json with recorded bodies and keeps every request it received."""

    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (the name is http.server's)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.received.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
        if self.path != "/chat/Dialog.json":
            status, name = 404, None
        elif self.headers.get("QB-Token") == EXPIRED_TOKEN:
            status, name = 401, "create_dialog_401_expired.json"
        elif self.headers.get("QB-Token") == SESSION_TOKEN or self.headers.get("Authorization") == f"ApiKey {API_KEY}":
            status, name = 201, "create_dialog_201.json"
        else:
            status, name = 401, "create_dialog_401_unauthorized.json"
        payload = (RECORDED / name).read_bytes() if name else b'{"errors":["Not found"]}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []

    def check(self, name: str, condition: bool, detail: object = "") -> None:
        if condition:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed.append(name)
            print(f"FAIL  {name}: {detail}")


# The same filters and ids in every language's smoke program, so that the wire snapshots compare line by line.
WIRE_DELETE_IDS = "5d75626ea28f9a1490cb0f98,5d7562d4a28f9a1694cb0f9b"


def wire(wire_url: str, checks: Checks) -> None:
    """Lists dialogs with the filters and deletes two dialogs at the capture server, and reads both answers."""
    from dialog_client import AuthenticatedClient
    from dialog_client.api.dialogs import delete_dialogs, list_dialogs
    from dialog_client.models import DeleteDialogsResult, DialogList, DialogSortField, DialogType, Flag, IdList, CustomDataFilter

    client = AuthenticatedClient(base_url=wire_url, token=SESSION_TOKEN, prefix="", auth_header_name="QB-Token")
    with client:
        listed = list_dialogs.sync_detailed(
            client=client,
            updated_atgt=1556829805,
            typein=[DialogType.PUBLIC_GROUP, DialogType.GROUP],
            namectn="New Year",
            field_idne="5cc9bb58a28f9a406659d777",
            sort_desc=DialogSortField.LAST_MESSAGE_DATE_SENT,
            limit=3,
            data=CustomDataFilter.from_dict({"class_name": "CoolDialog", "category": "friends"}),
        )
        page = listed.parsed
        checks.check(
            "wire: the list answer reads as a DialogList",
            isinstance(page, DialogList) and page.total_entries == 0 and page.items == [],
            page,
        )
        deleted = delete_dialogs.sync_detailed(WIRE_DELETE_IDS, client=client, force=Flag.ON)
        outcome = deleted.parsed
        checks.check(
            "wire: the delete answer names both ids",
            isinstance(outcome, DeleteDialogsResult)
            and isinstance(outcome.successfully_deleted, IdList)
            and outcome.successfully_deleted.ids == WIRE_DELETE_IDS.split(","),
            outcome,
        )


# usage: error shapes
def error_lines(body: object) -> list[str]:
    """Every error of a parsed error body, in either shape, as lines of text; `base` is the request as a whole."""
    from dialog_client.models import ErrorMessages, FieldErrors

    if isinstance(body, FieldErrors):
        return [f"{field}: {message}" for field, messages in body.errors.additional_properties.items() for message in messages]
    if isinstance(body, ErrorMessages):
        return list(body.errors)
    raise TypeError(f"not an error body: {body!r}")
# end usage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--client-dir", required=True, type=Path, help="the folder holding the generated package `dialog_client`")
    parser.add_argument("--spec", required=True, type=Path, help="dist/dialog.json, for the request examples")
    parser.add_argument("--base-url", help="a running contract server; without it the recorded responses are served locally")
    parser.add_argument("--wire-url", help="publish/wire/capture.py: list and delete there with the filters of every language")
    args = parser.parse_args()

    sys.path.insert(0, str(args.client_dir.resolve()))
    from dialog_client import AuthenticatedClient
    from dialog_client.api.dialogs import create_dialog
    from dialog_client.models import CreateDialogRequest, Dialog, ErrorMessages, FieldErrors

    spec = json.loads(args.spec.read_text())
    examples = spec["paths"]["/chat/Dialog.json"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    recipe = {name: example["value"] for name, example in examples.items()}

    server = None
    if args.base_url:
        base_url = args.base_url
    else:
        server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
    local = server is not None
    checks = Checks()
    try:
        # Scheme 1: a user session token in `QB-Token`.
        session = AuthenticatedClient(base_url=base_url, token=SESSION_TOKEN, prefix="", auth_header_name="QB-Token")
        with session:
            response = create_dialog.sync_detailed(client=session, body=CreateDialogRequest.from_dict(recipe["private"]))
        checks.check("session token: 201 Created", response.status_code == 201, response.status_code)
        dialog = response.parsed
        checks.check("session token: the body reads as a Dialog", isinstance(dialog, Dialog), type(dialog))
        if isinstance(dialog, Dialog) and not local:
            # A contract server answers what was asked: the private recipe's dialog.
            checks.check("dialog: type is private", int(dialog.type_) == 3, dialog.type_)
            checks.check("dialog: no room for a private dialog", dialog.xmpp_room_jid is None, dialog.xmpp_room_jid)
            checks.check("dialog: the opponent is an occupant", 102433721 in dialog.occupants_ids, dialog.occupants_ids)
        if isinstance(dialog, Dialog) and local:
            checks.check("dialog: id", dialog.field_id == "5d75e1cfa28f9a3a6e000014", dialog.field_id)
            checks.check("dialog: type is a group", int(dialog.type_) == 2, dialog.type_)
            checks.check("dialog: room to join", dialog.xmpp_room_jid == "76730_5d75e1cfa28f9a3a6e000014@muc.chat.quickblox.com", dialog.xmpp_room_jid)
            checks.check("dialog: null last message", dialog.last_message is None, dialog.last_message)
            checks.check("dialog: custom data class", dialog.data.class_name == "ScoreTable", dialog.data)
            checks.check("dialog: custom data field", dialog.data.additional_properties.get("progress") == "56", dialog.data)
            checks.check("dialog: a field the spec does not know is kept", dialog.additional_properties.get("pinned_messages_ids") == [], dialog.additional_properties)
        if local:
            sent = Recorder.received[-1]
            headers = {k.lower(): v for k, v in sent["headers"].items()}
            checks.check("session token: QB-Token sent as given", headers.get("qb-token") == SESSION_TOKEN, headers)
            checks.check("session token: no Authorization header", "authorization" not in headers, headers)
            checks.check("session token: no On-Behalf-Of header", "on-behalf-of" not in headers, headers)
            checks.check("session token: JSON body", headers.get("content-type") == "application/json", headers)
            checks.check("session token: body is the private recipe", json.loads(sent["body"]) == recipe["private"], sent["body"])

        # Scheme 2: the API key in `Authorization: ApiKey <key>`, acting for user 123.
        server_client = AuthenticatedClient(base_url=base_url, token=API_KEY, prefix="ApiKey", auth_header_name="Authorization")
        with server_client:
            response = create_dialog.sync_detailed(
                client=server_client, body=CreateDialogRequest.from_dict(recipe["api_key"]), on_behalf_of=123
            )
        checks.check("api key: 201 Created", response.status_code == 201, response.status_code)
        checks.check("api key: the body reads as a Dialog", isinstance(response.parsed, Dialog), type(response.parsed))
        if isinstance(response.parsed, Dialog) and not local:
            group = response.parsed
            checks.check("api key: the dialog acts for user 123", group.user_id == 123, group.user_id)
            checks.check("api key: a group with its name", int(group.type_) == 2 and group.name == "New Year party", group)
            checks.check("api key: a group has a room to join", isinstance(group.xmpp_room_jid, str), group.xmpp_room_jid)
        if local:
            sent = Recorder.received[-1]
            headers = {k.lower(): v for k, v in sent["headers"].items()}
            checks.check("api key: Authorization is `ApiKey <key>`", headers.get("authorization") == f"ApiKey {API_KEY}", headers)
            checks.check("api key: On-Behalf-Of names the user", headers.get("on-behalf-of") == "123", headers)
            checks.check("api key: no QB-Token header", "qb-token" not in headers, headers)
            checks.check("api key: body is the api_key recipe", json.loads(sent["body"]) == recipe["api_key"], sent["body"])

        # Every recipe survives the generated model unchanged.
        for name, value in recipe.items():
            checks.check(f"recipe {name}: round trip through CreateDialogRequest", CreateDialogRequest.from_dict(value).to_dict() == value, value)

        if local:
            # Both error shapes, from recorded 401 bodies.
            anonymous = AuthenticatedClient(base_url=base_url, token="wrong", prefix="", auth_header_name="QB-Token")
            with anonymous:
                response = create_dialog.sync_detailed(client=anonymous, body=CreateDialogRequest.from_dict(recipe["private"]))
            checks.check("401: message list", isinstance(response.parsed, ErrorMessages) and response.parsed.errors == ["Unauthorized"], response.parsed)
            expired = AuthenticatedClient(base_url=base_url, token=EXPIRED_TOKEN, prefix="", auth_header_name="QB-Token")
            with expired:
                response = create_dialog.sync_detailed(client=expired, body=CreateDialogRequest.from_dict(recipe["private"]))
            parsed = response.parsed
            checks.check(
                "401: field-keyed errors",
                isinstance(parsed, FieldErrors) and parsed.errors.additional_properties == {"base": ["Required session does not exist"]},
                parsed,
            )
        else:
            # Custom data comes back with every field, as the contract server echoes it.
            with_data = AuthenticatedClient(base_url=base_url, token=SESSION_TOKEN, prefix="", auth_header_name="QB-Token")
            with with_data:
                response = create_dialog.sync_detailed(client=with_data, body=CreateDialogRequest.from_dict(recipe["custom_data"]))
            data = response.parsed.data if isinstance(response.parsed, Dialog) else None
            checks.check("custom data: class name", data is not None and data.class_name == "ScoreTable", response.parsed)
            checks.check(
                "custom data: every field kept",
                data is not None and data.additional_properties == {"game_mode_name": "rainbow dash", "expert_mode": "3", "progress": "56"},
                data,
            )
            # Both error shapes, from the contract server: an API key it does not know gives a message list, and a
            # session token it does not know gives the field-keyed body the real API sends for an expired one.
            wrong_key = AuthenticatedClient(base_url=base_url, token="wrong-api-key", prefix="ApiKey", auth_header_name="Authorization")
            with wrong_key:
                response = create_dialog.sync_detailed(client=wrong_key, body=CreateDialogRequest.from_dict(recipe["public"]), on_behalf_of=123)
            checks.check("unknown api key: 401", response.status_code == 401, response.status_code)
            checks.check("unknown api key: a message list", isinstance(response.parsed, ErrorMessages), response.parsed)
            checks.check("unknown api key: as lines", error_lines(response.parsed) == ["Unauthorized: unknown API key"], response.parsed)
            expired = AuthenticatedClient(base_url=base_url, token="expired-token", prefix="", auth_header_name="QB-Token")
            with expired:
                response = create_dialog.sync_detailed(client=expired, body=CreateDialogRequest.from_dict(recipe["public"]))
            checks.check("unknown session token: 401", response.status_code == 401, response.status_code)
            checks.check("unknown session token: field-keyed", isinstance(response.parsed, FieldErrors), response.parsed)
            checks.check("unknown session token: as lines", error_lines(response.parsed) == ["base: Required session does not exist"], response.parsed)
            without_user = AuthenticatedClient(base_url=base_url, token=API_KEY, prefix="ApiKey", auth_header_name="Authorization")
            with without_user:
                response = create_dialog.sync_detailed(client=without_user, body=CreateDialogRequest.from_dict(recipe["public"]))
            checks.check("api key without On-Behalf-Of: 422", response.status_code == 422, response.status_code)
            checks.check("api key without On-Behalf-Of: field-keyed", error_lines(response.parsed) == ["base: Forbidden. Need user."], response.parsed)
        if args.wire_url:
            wire(args.wire_url, checks)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()

    print(f"{checks.passed} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
