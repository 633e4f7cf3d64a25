#!/usr/bin/env python3
"""Writes the agreement corpus: cases/<NNN-name>/{base.yaml,revision.yaml} from the compact definitions below.

Usage: conformance/oasdiff/gen.py [--check]

Each case is one change (or a few that belong together) between two OpenAPI 3.0.3 documents.
Three groups of cases, numbered from 001, 401 and 901 in the order they are defined (append new ones at the end of
a group so that existing numbers keep their meaning):
  1. lifecycle, structure, headers, security and the other families named in issue 10, on a small two-operation
     document (`mini()`);
  2. a matrix of schema edits (constraints, enums, types, formats, nullable, defaults) applied at each place a schema
     can sit (request body, request property, request parameter, response body, response property, response header);
  3. realistic edits of this repository's openapi/dialog.yaml, read at generation time.

Every revision bumps info.version to 2.0.0 unless the case is about the version: both tools check the version
against the changes, and a bump on every case keeps that check out of all the cases that are not about it.
Dates are far in the past (2001-01-01) or far in the future (2999-12-31), so that oasdiff's sunset rules, which
compare with today's date, give the same verdict on any day this side of the year 2999.

A case directory may hold `flags`: extra oasdiff flags for that case only (record.sh reads it).
`--check` writes nothing and fails if the committed files differ from what the definitions produce.
"""

import copy
import shutil
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit("gen.py needs PyYAML (Debian: python3-yaml; or pip install pyyaml)")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = HERE / "cases"

PAST = "2001-01-01"
FUTURE = "2999-12-31"
FUTURE_EARLIER = "2998-06-30"

# ---------------------------------------------------------------------------------------------------------------
# The small document most cases start from.


def mini():
    return {
        "openapi": "3.0.3",
        "info": {"title": "Dialogs", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "tags": [{"name": "dialogs"}],
        "paths": {
            "/dialogs": {
                "post": {
                    "operationId": "createDialog",
                    "tags": ["dialogs"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["type"],
                                    "properties": {
                                        "type": {"type": "integer"},
                                        "name": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "created",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id"],
                                        "properties": {"id": {"type": "string"}},
                                    }
                                }
                            },
                        }
                    },
                },
            },
            "/dialogs/{dialog_id}": {
                "get": {
                    "operationId": "getDialog",
                    "tags": ["dialogs"],
                    "parameters": [
                        {"name": "dialog_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "fields", "in": "query", "required": False, "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "the dialog",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id", "name"],
                                        "properties": {
                                            "id": {"type": "string"},
                                            "name": {"type": "string"},
                                            "photo": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        },
                        "404": {"description": "no such dialog"},
                    },
                },
                "delete": {
                    "operationId": "deleteDialog",
                    "tags": ["dialogs"],
                    "parameters": [
                        {"name": "dialog_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": {"204": {"description": "deleted"}},
                },
            },
        },
    }


# Shortcuts into mini(): each returns the dict that a case edits in place.
def post(d):
    return d["paths"]["/dialogs"]["post"]


def get(d):
    return d["paths"]["/dialogs/{dialog_id}"]["get"]


def delete(d):
    return d["paths"]["/dialogs/{dialog_id}"]["delete"]


def req_schema(d):
    return post(d)["requestBody"]["content"]["application/json"]["schema"]


def resp_schema(d):
    return get(d)["responses"]["200"]["content"]["application/json"]["schema"]


def resp200(d):
    return get(d)["responses"]["200"]


def param(d, name):
    return next(p for p in get(d)["parameters"] if p["name"] == name)


def add_param(d, p, op=get):
    op(d)["parameters"].append(p)


def drop_param(d, name, op=get):
    op(d)["parameters"] = [p for p in op(d)["parameters"] if p["name"] != name]


def deprecate(x, sunset=None):
    x["deprecated"] = True
    if sunset is not None:
        x["x-sunset"] = sunset


def with_security(d):
    d["components"] = {
        "securitySchemes": {
            "SessionToken": {"type": "apiKey", "in": "header", "name": "QB-Token"},
            "ApiKey": {"type": "apiKey", "in": "header", "name": "Authorization"},
        }
    }
    for op in (post(d), get(d), delete(d)):
        op["security"] = [{"SessionToken": []}, {"ApiKey": []}]


def with_oauth(d):
    d["components"] = {
        "securitySchemes": {
            "OAuth": {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://auth.example.com/authorize",
                        "tokenUrl": "https://auth.example.com/token",
                        "refreshUrl": "https://auth.example.com/refresh",
                        "scopes": {"dialogs:read": "read dialogs", "dialogs:write": "write dialogs"},
                    }
                },
            },
            "Bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "OpenId": {"type": "openIdConnect", "openIdConnectUrl": "https://auth.example.com/.well-known/openid"},
        }
    }
    get(d)["security"] = [{"OAuth": ["dialogs:read"]}]
    post(d)["security"] = [{"Bearer": []}]
    delete(d)["security"] = [{"OpenId": []}]


def rate_header(d, required=True, name="X-Rate-Limit-Remaining", schema=None):
    resp200(d).setdefault("headers", {})[name] = {
        "required": required,
        "schema": schema or {"type": "integer"},
    }


# ---------------------------------------------------------------------------------------------------------------
# Group 1: families named in issue 10, on mini(). Each entry: (name, base edit, revision edit); an edit is a
# function of the document, or None for no edit. The revision starts from a copy of the edited base.

CASES_MINI = []


def case(name, base=None, rev=None, flags=None, version="2.0.0"):
    CASES_MINI.append((name, base, rev, flags, version))


def chain(*edits):
    def run(d):
        for e in edits:
            e(d)

    return run


# Nothing changed, and only words changed.
case("no-change")
case("description-only", rev=lambda d: post(d).__setitem__("description", "Creates a dialog."))
case("summary-only", rev=lambda d: get(d).__setitem__("summary", "Reads a dialog"))

# Endpoints and paths, with and without deprecation and sunset.
case("endpoint-added", rev=lambda d: d["paths"]["/dialogs"].__setitem__(
    "get", {"operationId": "listDialogs", "responses": {"200": {"description": "the dialogs"}}}))
case("path-added", rev=lambda d: d["paths"].__setitem__(
    "/dialogs/{dialog_id}/messages",
    {"get": {"operationId": "listMessages", "parameters": [
        {"name": "dialog_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the messages"}}}}))
case("endpoint-removed-without-deprecation", rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("endpoint-removed-before-sunset", base=lambda d: deprecate(delete(d), FUTURE),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("endpoint-removed-after-sunset", base=lambda d: deprecate(delete(d), PAST),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("endpoint-removed-deprecated-no-sunset", base=lambda d: deprecate(delete(d)),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("endpoint-removed-bad-sunset", base=lambda d: deprecate(delete(d), "next spring"),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("path-removed-without-deprecation", rev=lambda d: d["paths"].pop("/dialogs"))
case("path-removed-before-sunset", base=lambda d: deprecate(post(d), FUTURE), rev=lambda d: d["paths"].pop("/dialogs"))
case("path-removed-after-sunset", base=lambda d: deprecate(post(d), PAST), rev=lambda d: d["paths"].pop("/dialogs"))
case("path-removed-bad-sunset", base=lambda d: deprecate(post(d), "31/12/2999"),
     rev=lambda d: d["paths"].pop("/dialogs"))
case("endpoint-deprecated", rev=lambda d: deprecate(delete(d)))
case("endpoint-deprecated-with-sunset", rev=lambda d: deprecate(delete(d), FUTURE))
case("endpoint-deprecated-sunset-past", rev=lambda d: deprecate(delete(d), PAST))
case("endpoint-deprecated-sunset-unparsable", rev=lambda d: deprecate(delete(d), "soon"))
case("endpoint-deprecated-sunset-rfc3339", rev=lambda d: deprecate(delete(d), "2999-12-31T00:00:00Z"))
case("endpoint-reactivated", base=lambda d: deprecate(delete(d), FUTURE),
     rev=lambda d: [delete(d).pop("deprecated"), delete(d).pop("x-sunset")])
case("endpoint-sunset-deleted", base=lambda d: deprecate(delete(d), FUTURE), rev=lambda d: delete(d).pop("x-sunset"))
case("endpoint-sunset-earlier", base=lambda d: deprecate(delete(d), FUTURE),
     rev=lambda d: delete(d).__setitem__("x-sunset", FUTURE_EARLIER))
case("endpoint-sunset-later", base=lambda d: deprecate(delete(d), FUTURE_EARLIER),
     rev=lambda d: delete(d).__setitem__("x-sunset", FUTURE))
case("endpoint-sunset-moved-to-past", base=lambda d: deprecate(delete(d), FUTURE),
     rev=lambda d: delete(d).__setitem__("x-sunset", PAST))
case("endpoint-deprecated-already", base=lambda d: deprecate(delete(d), FUTURE),
     rev=lambda d: delete(d).__setitem__("description", "Still deprecated."))
# The same lifecycle with oasdiff's deprecation periods set (flags file): a deprecation needs a sunset that far
# ahead. The diff under test needs the same setting to agree on these.
DAYS = "--deprecation-days-beta 31 --deprecation-days-stable 180"
case("days-endpoint-deprecated-no-sunset", rev=lambda d: deprecate(delete(d)), flags=DAYS)
case("days-endpoint-deprecated-sunset-future", rev=lambda d: deprecate(delete(d), FUTURE), flags=DAYS)
case("days-endpoint-deprecated-sunset-past", rev=lambda d: deprecate(delete(d), PAST), flags=DAYS)
case("days-endpoint-sunset-moved-to-past", base=lambda d: deprecate(delete(d), FUTURE),
     rev=lambda d: delete(d).__setitem__("x-sunset", PAST), flags=DAYS)
case("days-parameter-deprecated-no-sunset", rev=lambda d: deprecate(param(d, "fields")), flags=DAYS)
case("days-request-property-deprecated-no-sunset",
     rev=lambda d: deprecate(req_schema(d)["properties"]["name"]), flags=DAYS)
case("days-response-property-deprecated-no-sunset",
     rev=lambda d: deprecate(resp_schema(d)["properties"]["photo"]), flags=DAYS)

# Stability levels on operations and properties.
def stability(level):
    return lambda d: delete(d).__setitem__("x-stability-level", level)


case("stability-stable-to-beta", base=stability("stable"), rev=stability("beta"))
case("stability-beta-to-stable", base=stability("beta"), rev=stability("stable"))
case("stability-alpha-to-draft", base=stability("alpha"), rev=stability("draft"))
case("stability-draft-to-alpha", base=stability("draft"), rev=stability("alpha"))
case("stability-added-beta", rev=stability("beta"))
case("stability-invalid", rev=stability("experimental"))
case("stability-draft-endpoint-removed", base=stability("draft"),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("stability-alpha-endpoint-removed", base=stability("alpha"),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("stability-beta-endpoint-removed", base=stability("beta"),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"))
case("stability-draft-endpoint-changed", base=stability("draft"),
     rev=lambda d: delete(d)["parameters"].append(
         {"name": "force", "in": "query", "required": True, "schema": {"type": "boolean"}}))
case("request-property-stability-decreased",
     base=lambda d: req_schema(d)["properties"]["name"].__setitem__("x-stability-level", "stable"),
     rev=lambda d: req_schema(d)["properties"]["name"].__setitem__("x-stability-level", "alpha"))
case("response-property-stability-increased",
     base=lambda d: resp_schema(d)["properties"]["photo"].__setitem__("x-stability-level", "beta"),
     rev=lambda d: resp_schema(d)["properties"]["photo"].__setitem__("x-stability-level", "stable"))

# Path parameters: renamed (the same endpoint), and a new path segment.
def rename_path(old, new, pname_old, pname_new):
    def run(d):
        item = d["paths"].pop(old)
        for op in item.values():
            for p in op.get("parameters", []):
                if p["name"] == pname_old:
                    p["name"] = pname_new
        d["paths"][new] = item

    return run


case("path-parameter-renamed", rev=rename_path("/dialogs/{dialog_id}", "/dialogs/{id}", "dialog_id", "id"))
case("path-parameter-renamed-and-type-changed", rev=chain(
    rename_path("/dialogs/{dialog_id}", "/dialogs/{id}", "dialog_id", "id"),
    lambda d: d["paths"]["/dialogs/{id}"]["get"]["parameters"][0].__setitem__("schema", {"type": "integer"})))
case("path-segment-renamed", rev=rename_path("/dialogs/{dialog_id}", "/chats/{dialog_id}", "dialog_id", "dialog_id"))
case("path-parameter-pattern-added", rev=lambda d: param(d, "dialog_id")["schema"].__setitem__(
    "pattern", "^[0-9a-f]{24}$"))
case("path-level-parameter-required-added", rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].__setitem__(
    "parameters", [{"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}]))
case("path-level-parameter-optional-added", rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].__setitem__(
    "parameters", [{"name": "X-Tenant", "in": "header", "required": False, "schema": {"type": "string"}}]))
case("path-level-parameter-moved-to-operations", base=lambda d: [
    d["paths"]["/dialogs/{dialog_id}"].__setitem__(
        "parameters", [{"name": "dialog_id", "in": "path", "required": True, "schema": {"type": "string"}}]),
    drop_param(d, "dialog_id", get), drop_param(d, "dialog_id", delete)],
    rev=lambda d: [d["paths"]["/dialogs/{dialog_id}"].pop("parameters"),
                   get(d)["parameters"].insert(0, {"name": "dialog_id", "in": "path", "required": True,
                                                   "schema": {"type": "string"}}),
                   delete(d).__setitem__("parameters", [{"name": "dialog_id", "in": "path", "required": True,
                                                          "schema": {"type": "string"}}])])

# Request parameters: query, header (case-insensitive names), cookie.
case("query-parameter-added-required", rev=lambda d: add_param(
    d, {"name": "token", "in": "query", "required": True, "schema": {"type": "string"}}))
case("query-parameter-added-optional", rev=lambda d: add_param(
    d, {"name": "token", "in": "query", "required": False, "schema": {"type": "string"}}))
case("query-parameter-removed", rev=lambda d: drop_param(d, "fields"))
case("query-parameter-became-required", rev=lambda d: param(d, "fields").__setitem__("required", True))
case("query-parameter-became-optional", base=lambda d: param(d, "fields").__setitem__("required", True),
     rev=lambda d: param(d, "fields").__setitem__("required", False))
case("query-parameter-renamed", rev=lambda d: param(d, "fields").__setitem__("name", "select"))
case("query-parameter-moved-to-header", rev=lambda d: param(d, "fields").__setitem__("in", "header"))
case("query-parameter-deprecated", rev=lambda d: deprecate(param(d, "fields")))
case("query-parameter-deprecated-with-sunset", rev=lambda d: deprecate(param(d, "fields"), FUTURE))
case("query-parameter-reactivated", base=lambda d: deprecate(param(d, "fields"), FUTURE),
     rev=lambda d: [param(d, "fields").pop("deprecated"), param(d, "fields").pop("x-sunset")])
case("query-parameter-removed-before-sunset", base=lambda d: deprecate(param(d, "fields"), FUTURE),
     rev=lambda d: drop_param(d, "fields"))
case("query-parameter-removed-after-sunset", base=lambda d: deprecate(param(d, "fields"), PAST),
     rev=lambda d: drop_param(d, "fields"))
case("query-parameter-removed-bad-sunset", base=lambda d: deprecate(param(d, "fields"), "later"),
     rev=lambda d: drop_param(d, "fields"))
case("query-parameter-sunset-deleted", base=lambda d: deprecate(param(d, "fields"), FUTURE),
     rev=lambda d: param(d, "fields").pop("x-sunset"))
case("query-parameter-sunset-earlier", base=lambda d: deprecate(param(d, "fields"), FUTURE),
     rev=lambda d: param(d, "fields").__setitem__("x-sunset", FUTURE_EARLIER))
case("query-parameter-sunset-moved-to-past", base=lambda d: deprecate(param(d, "fields"), FUTURE),
     rev=lambda d: param(d, "fields").__setitem__("x-sunset", PAST))
case("query-parameter-style-changed", rev=lambda d: param(d, "fields").update({"style": "form", "explode": False}))
case("query-parameter-array-items-type-changed",
     base=lambda d: param(d, "fields").__setitem__("schema", {"type": "array", "items": {"type": "string"}}),
     rev=lambda d: param(d, "fields").__setitem__("schema", {"type": "array", "items": {"type": "integer"}}))
case("query-parameter-object-property-added-required",
     base=lambda d: param(d, "fields").__setitem__(
         "schema", {"type": "object", "properties": {"a": {"type": "string"}}}),
     rev=lambda d: param(d, "fields").__setitem__(
         "schema", {"type": "object", "required": ["b"],
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}))
HEADER = {"name": "X-Request-Id", "in": "header", "required": False, "schema": {"type": "string"}}
case("header-parameter-added-required", rev=lambda d: add_param(d, dict(HEADER, required=True)))
case("header-parameter-added-optional", rev=lambda d: add_param(d, dict(HEADER)))
case("header-parameter-removed", base=lambda d: add_param(d, dict(HEADER)), rev=lambda d: drop_param(d, "X-Request-Id"))
case("header-parameter-case-changed", base=lambda d: add_param(d, dict(HEADER)),
     rev=lambda d: param(d, "X-Request-Id").__setitem__("name", "x-request-id"))
case("header-parameter-case-changed-and-required", base=lambda d: add_param(d, dict(HEADER)),
     rev=lambda d: param(d, "X-Request-Id").update({"name": "x-request-id", "required": True}))
case("header-parameter-became-required", base=lambda d: add_param(d, dict(HEADER)),
     rev=lambda d: param(d, "X-Request-Id").__setitem__("required", True))
case("header-parameter-type-changed", base=lambda d: add_param(d, dict(HEADER)),
     rev=lambda d: param(d, "X-Request-Id").__setitem__("schema", {"type": "integer"}))
case("header-parameter-object-property-required-added",
     base=lambda d: add_param(d, dict(HEADER, schema={"type": "object", "properties": {"a": {"type": "string"}}})),
     rev=lambda d: param(d, "X-Request-Id")["schema"].__setitem__("required", ["a"]))
case("header-parameter-object-property-became-enum",
     base=lambda d: add_param(d, dict(HEADER, schema={"type": "string"})),
     rev=lambda d: param(d, "X-Request-Id")["schema"].__setitem__("enum", ["a", "b"]))
case("cookie-parameter-added-required", rev=lambda d: add_param(
    d, {"name": "session", "in": "cookie", "required": True, "schema": {"type": "string"}}))
case("cookie-parameter-removed",
     base=lambda d: add_param(d, {"name": "session", "in": "cookie", "schema": {"type": "string"}}),
     rev=lambda d: drop_param(d, "session"))
case("path-parameter-added-required", rev=lambda d: add_param(
    d, {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}}))

# Response headers: added, removed (required or not), optional, schema; names compared case-insensitively.
QB_TOKEN_EXP = "QB-Token-ExpirationDate"
case("response-header-added", rev=lambda d: rate_header(d))
case("response-header-added-optional", rev=lambda d: rate_header(d, required=False))
case("response-header-required-removed", base=lambda d: rate_header(d),
     rev=lambda d: resp200(d).pop("headers"))
case("response-header-optional-removed", base=lambda d: rate_header(d, required=False),
     rev=lambda d: resp200(d).pop("headers"))
case("response-header-became-optional", base=lambda d: rate_header(d),
     rev=lambda d: resp200(d)["headers"]["X-Rate-Limit-Remaining"].__setitem__("required", False))
case("response-header-became-required", base=lambda d: rate_header(d, required=False),
     rev=lambda d: resp200(d)["headers"]["X-Rate-Limit-Remaining"].__setitem__("required", True))
case("response-header-case-changed", base=lambda d: rate_header(d, name=QB_TOKEN_EXP, schema={"type": "string"}),
     rev=lambda d: resp200(d).__setitem__("headers", {
         "qb-token-expirationdate": {"required": True, "schema": {"type": "string"}}}))
case("response-header-case-changed-and-optional",
     base=lambda d: rate_header(d, name=QB_TOKEN_EXP, schema={"type": "string"}),
     rev=lambda d: resp200(d).__setitem__("headers", {
         "qb-token-expirationdate": {"required": False, "schema": {"type": "string"}}}))
case("response-header-on-error-status-added", rev=lambda d: get(d)["responses"]["404"].__setitem__(
    "headers", {"X-Error-Code": {"schema": {"type": "string"}}}))

# Request bodies.
case("request-body-removed", rev=lambda d: post(d).pop("requestBody"))
case("request-body-added-required", rev=lambda d: delete(d).__setitem__("requestBody", {
    "required": True, "content": {"application/json": {"schema": {"type": "object"}}}}))
case("request-body-added-optional", rev=lambda d: delete(d).__setitem__("requestBody", {
    "content": {"application/json": {"schema": {"type": "object"}}}}))
case("request-body-became-optional", rev=lambda d: post(d)["requestBody"].__setitem__("required", False))
case("request-body-became-required", base=lambda d: post(d)["requestBody"].__setitem__("required", False),
     rev=lambda d: post(d)["requestBody"].__setitem__("required", True))
case("request-media-type-added", rev=lambda d: post(d)["requestBody"]["content"].__setitem__(
    "application/x-www-form-urlencoded", copy.deepcopy(post(d)["requestBody"]["content"]["application/json"])))
case("request-media-type-removed",
     base=lambda d: post(d)["requestBody"]["content"].__setitem__(
         "application/x-www-form-urlencoded", copy.deepcopy(post(d)["requestBody"]["content"]["application/json"])),
     rev=lambda d: post(d)["requestBody"]["content"].pop("application/x-www-form-urlencoded"))
case("request-media-type-replaced", rev=lambda d: post(d)["requestBody"].__setitem__(
    "content", {"application/x-www-form-urlencoded": post(d)["requestBody"]["content"]["application/json"]}))
case("request-media-type-schema-removed",
     rev=lambda d: post(d)["requestBody"]["content"]["application/json"].pop("schema"))

# Request and response properties: added, removed, required, readOnly/writeOnly, deprecation.
def rprops(d):
    return req_schema(d)["properties"]


def sprops(d):
    return resp_schema(d)["properties"]


case("request-property-added-optional", rev=lambda d: rprops(d).__setitem__("photo", {"type": "string"}))
case("request-property-added-required", rev=lambda d: [rprops(d).__setitem__("photo", {"type": "string"}),
                                                       req_schema(d)["required"].append("photo")])
case("request-property-added-required-with-default", rev=lambda d: [
    rprops(d).__setitem__("photo", {"type": "string", "default": "none"}), req_schema(d)["required"].append("photo")])
case("request-property-removed", rev=lambda d: rprops(d).pop("name"))
case("request-required-property-removed", rev=lambda d: [rprops(d).pop("type"), req_schema(d).pop("required")])
case("request-property-became-required", rev=lambda d: req_schema(d)["required"].append("name"))
case("request-property-became-required-with-default",
     base=lambda d: rprops(d)["name"].__setitem__("default", "untitled"),
     rev=lambda d: req_schema(d)["required"].append("name"))
case("request-property-became-optional", rev=lambda d: req_schema(d).pop("required"))
case("request-property-deprecated", rev=lambda d: deprecate(rprops(d)["name"]))
case("request-property-deprecated-with-sunset", rev=lambda d: deprecate(rprops(d)["name"], FUTURE))
case("request-property-deprecated-bad-sunset", rev=lambda d: deprecate(rprops(d)["name"], "soon"))
case("request-property-reactivated", base=lambda d: deprecate(rprops(d)["name"], FUTURE),
     rev=lambda d: [rprops(d)["name"].pop("deprecated"), rprops(d)["name"].pop("x-sunset")])
case("request-property-removed-before-sunset", base=lambda d: deprecate(rprops(d)["name"], FUTURE),
     rev=lambda d: rprops(d).pop("name"))
case("request-property-removed-after-sunset", base=lambda d: deprecate(rprops(d)["name"], PAST),
     rev=lambda d: rprops(d).pop("name"))
case("request-property-sunset-deleted", base=lambda d: deprecate(rprops(d)["name"], FUTURE),
     rev=lambda d: rprops(d)["name"].pop("x-sunset"))
case("request-property-sunset-earlier", base=lambda d: deprecate(rprops(d)["name"], FUTURE),
     rev=lambda d: rprops(d)["name"].__setitem__("x-sunset", FUTURE_EARLIER))
case("request-optional-property-became-read-only", rev=lambda d: rprops(d)["name"].__setitem__("readOnly", True))
case("request-required-property-became-read-only", rev=lambda d: rprops(d)["type"].__setitem__("readOnly", True))
case("request-optional-property-became-write-only", rev=lambda d: rprops(d)["name"].__setitem__("writeOnly", True))
case("request-required-property-became-not-read-only",
     base=lambda d: rprops(d)["type"].__setitem__("readOnly", True), rev=lambda d: rprops(d)["type"].pop("readOnly"))
case("request-optional-property-became-not-read-only",
     base=lambda d: rprops(d)["name"].__setitem__("readOnly", True), rev=lambda d: rprops(d)["name"].pop("readOnly"))
case("request-read-only-property-added-required", rev=lambda d: [
    rprops(d).__setitem__("id", {"type": "string", "readOnly": True}), req_schema(d)["required"].append("id")])
case("request-nested-property-added-required",
     base=lambda d: rprops(d).__setitem__("data", {"type": "object", "properties": {"a": {"type": "string"}}}),
     rev=lambda d: rprops(d)["data"].__setitem__("required", ["a"]))
case("request-additional-properties-forbidden", rev=lambda d: req_schema(d).__setitem__("additionalProperties", False))
case("request-additional-properties-allowed", base=lambda d: req_schema(d).__setitem__("additionalProperties", False),
     rev=lambda d: req_schema(d).pop("additionalProperties"))
case("response-property-added-optional", rev=lambda d: sprops(d).__setitem__("owner", {"type": "integer"}))
case("response-property-added-required", rev=lambda d: [sprops(d).__setitem__("owner", {"type": "integer"}),
                                                        resp_schema(d)["required"].append("owner")])
case("response-optional-property-removed", rev=lambda d: sprops(d).pop("photo"))
case("response-required-property-removed", rev=lambda d: [sprops(d).pop("name"), resp_schema(d)["required"].remove("name")])
case("response-property-became-optional", rev=lambda d: resp_schema(d)["required"].remove("name"))
case("response-property-became-required", rev=lambda d: resp_schema(d)["required"].append("photo"))
case("response-property-deprecated", rev=lambda d: deprecate(sprops(d)["photo"]))
case("response-property-deprecated-with-sunset", rev=lambda d: deprecate(sprops(d)["photo"], FUTURE))
case("response-property-reactivated", base=lambda d: deprecate(sprops(d)["photo"], FUTURE),
     rev=lambda d: [sprops(d)["photo"].pop("deprecated"), sprops(d)["photo"].pop("x-sunset")])
case("response-required-property-removed-before-sunset", base=lambda d: deprecate(sprops(d)["name"], FUTURE),
     rev=lambda d: [sprops(d).pop("name"), resp_schema(d)["required"].remove("name")])
case("response-required-property-removed-after-sunset", base=lambda d: deprecate(sprops(d)["name"], PAST),
     rev=lambda d: [sprops(d).pop("name"), resp_schema(d)["required"].remove("name")])
case("response-property-sunset-deleted", base=lambda d: deprecate(sprops(d)["photo"], FUTURE),
     rev=lambda d: sprops(d)["photo"].pop("x-sunset"))
case("response-required-property-became-write-only", rev=lambda d: sprops(d)["name"].__setitem__("writeOnly", True))
case("response-optional-property-became-write-only", rev=lambda d: sprops(d)["photo"].__setitem__("writeOnly", True))
case("response-required-property-became-read-only", rev=lambda d: sprops(d)["name"].__setitem__("readOnly", True))
case("response-write-only-property-added", rev=lambda d: sprops(d).__setitem__(
    "password", {"type": "string", "writeOnly": True}))
case("response-nested-property-removed",
     base=lambda d: [sprops(d).__setitem__("data", {"type": "object", "required": ["a"], "properties": {
         "a": {"type": "string"}, "b": {"type": "string"}}}), resp_schema(d)["required"].append("data")],
     rev=lambda d: [sprops(d)["data"]["properties"].pop("a"), sprops(d)["data"].pop("required")])
case("response-array-items-property-became-optional",
     base=lambda d: [sprops(d).__setitem__("members", {"type": "array", "items": {
         "type": "object", "required": ["user_id"], "properties": {"user_id": {"type": "integer"}}}}),
         resp_schema(d)["required"].append("members")],
     rev=lambda d: sprops(d)["members"]["items"].pop("required"))

# More of the lifecycle of parameters and properties, and readOnly/writeOnly on each side.
case("query-parameter-removed-deprecated-no-sunset", base=lambda d: deprecate(param(d, "fields")),
     rev=lambda d: drop_param(d, "fields"))
case("query-parameter-deprecated-sunset-past", rev=lambda d: deprecate(param(d, "fields"), PAST))
case("path-removed-deprecated-no-sunset", base=lambda d: deprecate(post(d)), rev=lambda d: d["paths"].pop("/dialogs"))
case("request-property-removed-deprecated-no-sunset", base=lambda d: deprecate(rprops(d)["name"]),
     rev=lambda d: rprops(d).pop("name"))
case("request-property-deprecated-sunset-past", rev=lambda d: deprecate(rprops(d)["name"], PAST))
case("request-property-sunset-moved-to-past", base=lambda d: deprecate(rprops(d)["name"], FUTURE),
     rev=lambda d: rprops(d)["name"].__setitem__("x-sunset", PAST))
case("request-property-stability-increased",
     base=lambda d: rprops(d)["name"].__setitem__("x-stability-level", "beta"),
     rev=lambda d: rprops(d)["name"].__setitem__("x-stability-level", "stable"))
case("response-property-deprecated-bad-sunset", rev=lambda d: deprecate(sprops(d)["photo"], "soon"))
case("response-property-deprecated-sunset-past", rev=lambda d: deprecate(sprops(d)["photo"], PAST))
case("response-property-sunset-earlier", base=lambda d: deprecate(sprops(d)["photo"], FUTURE),
     rev=lambda d: sprops(d)["photo"].__setitem__("x-sunset", FUTURE_EARLIER))
case("response-property-sunset-moved-to-past", base=lambda d: deprecate(sprops(d)["photo"], FUTURE),
     rev=lambda d: sprops(d)["photo"].__setitem__("x-sunset", PAST))
case("response-property-stability-decreased",
     base=lambda d: sprops(d)["photo"].__setitem__("x-stability-level", "stable"),
     rev=lambda d: sprops(d)["photo"].__setitem__("x-stability-level", "beta"))
case("response-required-property-removed-deprecated-no-sunset", base=lambda d: deprecate(sprops(d)["name"]),
     rev=lambda d: [sprops(d).pop("name"), resp_schema(d)["required"].remove("name")])
case("request-required-property-became-write-only", rev=lambda d: rprops(d)["type"].__setitem__("writeOnly", True))
case("request-required-property-became-not-write-only",
     base=lambda d: rprops(d)["type"].__setitem__("writeOnly", True), rev=lambda d: rprops(d)["type"].pop("writeOnly"))
case("request-optional-property-became-not-write-only",
     base=lambda d: rprops(d)["name"].__setitem__("writeOnly", True), rev=lambda d: rprops(d)["name"].pop("writeOnly"))
case("request-read-only-property-enum-value-removed",
     base=lambda d: rprops(d).__setitem__("state", {"type": "string", "readOnly": True, "enum": ["open", "closed"]}),
     rev=lambda d: rprops(d)["state"].__setitem__("enum", ["open"]))
case("request-read-only-property-max-length-decreased",
     base=lambda d: rprops(d).__setitem__("state", {"type": "string", "readOnly": True, "maxLength": 20}),
     rev=lambda d: rprops(d)["state"].__setitem__("maxLength", 10))
case("response-optional-property-became-read-only", rev=lambda d: sprops(d)["photo"].__setitem__("readOnly", True))
case("response-optional-property-became-not-read-only",
     base=lambda d: sprops(d)["photo"].__setitem__("readOnly", True), rev=lambda d: sprops(d)["photo"].pop("readOnly"))
case("response-required-property-became-not-read-only",
     base=lambda d: sprops(d)["name"].__setitem__("readOnly", True), rev=lambda d: sprops(d)["name"].pop("readOnly"))
case("response-required-property-became-not-write-only",
     base=lambda d: sprops(d)["name"].__setitem__("writeOnly", True), rev=lambda d: sprops(d)["name"].pop("writeOnly"))
case("response-optional-property-became-not-write-only",
     base=lambda d: sprops(d)["photo"].__setitem__("writeOnly", True), rev=lambda d: sprops(d)["photo"].pop("writeOnly"))
case("response-write-only-property-removed",
     base=lambda d: sprops(d).__setitem__("password", {"type": "string", "writeOnly": True}),
     rev=lambda d: sprops(d).pop("password"))
case("response-required-write-only-property-added", rev=lambda d: [
    sprops(d).__setitem__("password", {"type": "string", "writeOnly": True}), resp_schema(d)["required"].append("password")])
case("response-write-only-property-became-required",
     base=lambda d: sprops(d).__setitem__("password", {"type": "string", "writeOnly": True}),
     rev=lambda d: resp_schema(d)["required"].append("password"))
case("response-write-only-property-enum-value-added",
     base=lambda d: sprops(d).__setitem__("secret", {"type": "string", "writeOnly": True, "enum": ["a"]}),
     rev=lambda d: sprops(d)["secret"].__setitem__("enum", ["a", "b"]))
case("header-parameter-object-property-added-required",
     base=lambda d: add_param(d, dict(HEADER, schema={"type": "object", "properties": {"a": {"type": "string"}}})),
     rev=lambda d: param(d, "X-Request-Id")["schema"].update(
         {"required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}))
case("request-media-type-schema-added",
     base=lambda d: post(d)["requestBody"]["content"]["application/json"].pop("schema"),
     rev=lambda d: post(d)["requestBody"]["content"]["application/json"].__setitem__("schema", {"type": "object"}))
case("response-media-type-schema-added",
     base=lambda d: resp200(d)["content"]["application/json"].pop("schema"),
     rev=lambda d: resp200(d)["content"]["application/json"].__setitem__("schema", {"type": "object"}))
case("response-media-type-parameter-removed",
     base=lambda d: resp200(d).__setitem__("content", {"application/json; charset=utf-8": resp200(d)["content"]["application/json"]}),
     rev=lambda d: resp200(d).__setitem__("content", {"application/json": resp200(d)["content"]["application/json; charset=utf-8"]}))
case("response-media-type-parameter-changed",
     base=lambda d: resp200(d).__setitem__("content", {"application/json; charset=utf-8": resp200(d)["content"]["application/json"]}),
     rev=lambda d: resp200(d).__setitem__("content", {"application/json; charset=latin1": resp200(d)["content"]["application/json; charset=utf-8"]}))
case("response-media-type-wildcard-generalized",
     base=lambda d: resp200(d).__setitem__("content", {"application/vnd.quickblox+json": resp200(d)["content"]["application/json"]}),
     rev=lambda d: resp200(d).__setitem__("content", {"application/json": resp200(d)["content"]["application/vnd.quickblox+json"]}))

# Composition: allOf, oneOf, anyOf, discriminators.
A = {"type": "object", "properties": {"a": {"type": "string"}}}
B = {"type": "object", "properties": {"b": {"type": "integer"}}}
C = {"type": "object", "properties": {"c": {"type": "boolean"}}}


def body_of(kind, *members, at="request"):
    def run(d):
        target = req_schema(d) if at == "request" else resp_schema(d)
        target.clear()
        target[kind] = [copy.deepcopy(m) for m in members]

    return run


def prop_of(kind, *members, at="request"):
    def run(d):
        props = rprops(d) if at == "request" else sprops(d)
        props["name"] = {kind: [copy.deepcopy(m) for m in members]}

    return run


def body_is(schema, at="request"):
    def run(d):
        target = req_schema(d) if at == "request" else resp_schema(d)
        target.clear()
        target.update(copy.deepcopy(schema))

    return run


STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
for side in ("request", "response"):
    for kind, k in (("oneOf", "one-of"), ("anyOf", "any-of"), ("allOf", "all-of")):
        case(f"{side}-body-{k}-added", base=body_of(kind, A, B, at=side), rev=body_of(kind, A, B, C, at=side))
        case(f"{side}-body-{k}-removed", base=body_of(kind, A, B, C, at=side), rev=body_of(kind, A, B, at=side))
        case(f"{side}-property-{k}-added", base=prop_of(kind, A, B, at=side), rev=prop_of(kind, A, B, C, at=side))
        case(f"{side}-property-{k}-removed", base=prop_of(kind, A, B, C, at=side), rev=prop_of(kind, A, B, at=side))
        if kind != "allOf":
            # oasdiff reads a oneOf or anyOf of bare types as a list of types.
            case(f"{side}-property-{k}-type-added", base=prop_of(kind, STR, INT, at=side),
                 rev=prop_of(kind, STR, INT, BOOL, at=side))
            case(f"{side}-property-{k}-type-removed", base=prop_of(kind, STR, INT, BOOL, at=side),
                 rev=prop_of(kind, STR, INT, at=side))
    case(f"{side}-body-all-of-annotation-added", base=body_of("allOf", A, at=side),
         rev=body_of("allOf", A, {"description": "a dialog"}, at=side))
    case(f"{side}-body-all-of-annotation-removed", base=body_of("allOf", A, {"description": "a dialog"}, at=side),
         rev=body_of("allOf", A, at=side))
    case(f"{side}-property-all-of-annotation-added", base=prop_of("allOf", A, at=side),
         rev=prop_of("allOf", A, {"description": "a dialog"}, at=side))
    case(f"{side}-property-all-of-annotation-removed", base=prop_of("allOf", A, {"description": "a dialog"}, at=side),
         rev=prop_of("allOf", A, at=side))
    case(f"{side}-body-wrapped-in-one-of", base=body_is(A, at=side), rev=body_of("oneOf", B, C, at=side))
    case(f"{side}-body-wrapped-in-one-of-original-kept", base=body_is(A, at=side), rev=body_of("oneOf", A, B, at=side))
    case(f"{side}-body-one-of-order-swapped", base=body_of("oneOf", A, B, at=side), rev=body_of("oneOf", B, A, at=side))


PETS = {
    "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}}},
    "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}},
}
MAPPING = {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}


def pets(where, discriminator):
    """Puts a oneOf of two component schemas at `where`, with the given discriminator (None for none)."""

    def run(d):
        d.setdefault("components", {})["schemas"] = copy.deepcopy(PETS)
        schema = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
        if discriminator is not None:
            schema["discriminator"] = copy.deepcopy(discriminator)
        if where == "request-body":
            post(d)["requestBody"]["content"]["application/json"]["schema"] = schema
        elif where == "response-body":
            resp200(d)["content"]["application/json"]["schema"] = schema
        elif where == "request-property":
            rprops(d)["pet"] = schema
        else:
            sprops(d)["pet"] = schema

    return run


for where in ("request-body", "request-property", "response-body", "response-property"):
    with_map = {"propertyName": "kind", "mapping": MAPPING}
    case(f"{where}-discriminator-added", base=pets(where, None), rev=pets(where, {"propertyName": "kind"}))
    case(f"{where}-discriminator-removed", base=pets(where, {"propertyName": "kind"}), rev=pets(where, None))
    case(f"{where}-discriminator-property-name-changed", base=pets(where, {"propertyName": "kind"}),
         rev=pets(where, {"propertyName": "type"}))
    case(f"{where}-discriminator-mapping-added", base=pets(where, {"propertyName": "kind"}), rev=pets(where, with_map))
    case(f"{where}-discriminator-mapping-deleted", base=pets(where, with_map),
         rev=pets(where, {"propertyName": "kind", "mapping": {"cat": MAPPING["cat"]}}))
    case(f"{where}-discriminator-mapping-changed", base=pets(where, with_map),
         rev=pets(where, {"propertyName": "kind", "mapping": {"cat": MAPPING["cat"], "dog": MAPPING["cat"]}}))
case("component-schema-removed-unused", base=lambda d: d.setdefault("components", {}).__setitem__(
    "schemas", {"Unused": {"type": "string"}}), rev=lambda d: d["components"].pop("schemas"))
case("component-schema-ref-inlined", base=lambda d: [
    d.setdefault("components", {}).__setitem__("schemas", {"Dialog": copy.deepcopy(resp_schema(d))}),
    resp200(d)["content"]["application/json"].__setitem__("schema", {"$ref": "#/components/schemas/Dialog"})],
    rev=lambda d: [resp200(d)["content"]["application/json"].__setitem__(
        "schema", copy.deepcopy(d["components"]["schemas"]["Dialog"])), d.pop("components")])
case("shared-component-property-added-required", base=lambda d: [
    d.setdefault("components", {}).__setitem__("schemas", {"Named": {
        "type": "object", "properties": {"name": {"type": "string"}}}}),
    post(d)["requestBody"]["content"]["application/json"].__setitem__("schema", {"$ref": "#/components/schemas/Named"}),
    resp200(d)["content"]["application/json"].__setitem__("schema", {"$ref": "#/components/schemas/Named"})],
    rev=lambda d: d["components"]["schemas"]["Named"].__setitem__("required", ["name"]))

# x-extensible-enum on a parameter and on properties.
case("parameter-x-extensible-enum-value-removed",
     base=lambda d: param(d, "fields")["schema"].__setitem__("x-extensible-enum", ["id", "name", "photo"]),
     rev=lambda d: param(d, "fields")["schema"].__setitem__("x-extensible-enum", ["id", "name"]))
case("parameter-x-extensible-enum-value-added",
     base=lambda d: param(d, "fields")["schema"].__setitem__("x-extensible-enum", ["id", "name"]),
     rev=lambda d: param(d, "fields")["schema"].__setitem__("x-extensible-enum", ["id", "name", "photo"]))
case("request-property-x-extensible-enum-value-removed",
     base=lambda d: rprops(d)["name"].__setitem__("x-extensible-enum", ["a", "b", "c"]),
     rev=lambda d: rprops(d)["name"].__setitem__("x-extensible-enum", ["a", "b"]))
case("response-property-x-extensible-enum-value-added",
     base=lambda d: sprops(d)["photo"].__setitem__("x-extensible-enum", ["a", "b"]),
     rev=lambda d: sprops(d)["photo"].__setitem__("x-extensible-enum", ["a", "b", "c"]))

# Responses and media types.
case("success-status-removed", rev=lambda d: [get(d)["responses"].__setitem__("201", get(d)["responses"].pop("200"))])
case("success-status-added", rev=lambda d: get(d)["responses"].__setitem__("202", {"description": "accepted"}))
case("error-status-added", rev=lambda d: get(d)["responses"].__setitem__("429", {"description": "slow down"}))
case("error-status-removed", rev=lambda d: get(d)["responses"].pop("404"))
case("default-response-added", rev=lambda d: get(d)["responses"].__setitem__("default", {"description": "an error"}))
case("response-media-type-added", rev=lambda d: resp200(d)["content"].__setitem__(
    "application/xml", copy.deepcopy(resp200(d)["content"]["application/json"])))
case("response-media-type-removed",
     base=lambda d: resp200(d)["content"].__setitem__("application/xml", copy.deepcopy(resp200(d)["content"]["application/json"])),
     rev=lambda d: resp200(d)["content"].pop("application/xml"))
case("response-media-type-renamed", rev=lambda d: resp200(d).__setitem__(
    "content", {"application/vnd.quickblox+json": resp200(d)["content"]["application/json"]}))
case("response-media-type-generalized", rev=lambda d: resp200(d).__setitem__(
    "content", {"application/*": resp200(d)["content"]["application/json"]}))
case("response-media-type-parameter-added", rev=lambda d: resp200(d).__setitem__(
    "content", {"application/json; charset=utf-8": resp200(d)["content"]["application/json"]}))
case("response-body-schema-removed", rev=lambda d: resp200(d)["content"]["application/json"].pop("schema"))
case("response-body-removed", rev=lambda d: resp200(d).pop("content"))

# Security.
case("security-scheme-alternative-removed", base=with_security,
     rev=lambda d: post(d).__setitem__("security", [{"SessionToken": []}]))
case("security-scheme-alternative-added", base=with_security,
     rev=lambda d: [d["components"]["securitySchemes"].__setitem__(
         "Bearer", {"type": "http", "scheme": "bearer"}), post(d)["security"].append({"Bearer": []})])
case("security-made-mandatory", rev=chain(with_security))
case("security-anonymous-removed", base=lambda d: [with_security(d), get(d)["security"].append({})],
     rev=lambda d: get(d)["security"].pop())
case("security-anonymous-added", base=with_security, rev=lambda d: get(d)["security"].append({}))
case("security-combined-requirement", base=with_security,
     rev=lambda d: post(d).__setitem__("security", [{"SessionToken": [], "ApiKey": []}]))
case("security-global-added", base=lambda d: d.__setitem__("components", {
    "securitySchemes": {"SessionToken": {"type": "apiKey", "in": "header", "name": "QB-Token"}}}),
    rev=lambda d: d.__setitem__("security", [{"SessionToken": []}]))
case("security-global-removed", base=lambda d: [d.__setitem__("components", {
    "securitySchemes": {"SessionToken": {"type": "apiKey", "in": "header", "name": "QB-Token"}}}),
    d.__setitem__("security", [{"SessionToken": []}])], rev=lambda d: d.pop("security"))
case("security-global-scope-added", base=lambda d: [with_oauth(d), d.__setitem__("security", [{"OAuth": ["dialogs:read"]}])],
     rev=lambda d: d["security"][0]["OAuth"].append("dialogs:write"))
case("security-scope-added", base=with_oauth, rev=lambda d: get(d)["security"][0]["OAuth"].append("dialogs:write"))
case("security-scope-removed", base=lambda d: [with_oauth(d), get(d)["security"][0]["OAuth"].append("dialogs:write")],
     rev=lambda d: get(d)["security"][0]["OAuth"].pop())
case("security-component-api-key-name-changed", base=with_security,
     rev=lambda d: d["components"]["securitySchemes"]["ApiKey"].__setitem__("name", "X-Api-Key"))
case("security-component-api-key-in-changed", base=with_security,
     rev=lambda d: d["components"]["securitySchemes"]["ApiKey"].__setitem__("in", "query"))
case("security-component-type-changed", base=with_security,
     rev=lambda d: d["components"]["securitySchemes"].__setitem__("ApiKey", {"type": "http", "scheme": "bearer"}))
case("security-component-http-scheme-changed", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["Bearer"].__setitem__("scheme", "basic"))
case("security-component-bearer-format-changed", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["Bearer"].__setitem__("bearerFormat", "opaque"))
case("security-component-oauth-urls-changed", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["OAuth"]["flows"]["authorizationCode"].update({
         "authorizationUrl": "https://login.example.com/authorize", "tokenUrl": "https://login.example.com/token",
         "refreshUrl": "https://login.example.com/refresh"}))
case("security-component-oauth-scope-added", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["OAuth"]["flows"]["authorizationCode"]["scopes"].__setitem__(
         "dialogs:admin", "administer dialogs"))
case("security-component-oauth-scope-removed", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["OAuth"]["flows"]["authorizationCode"]["scopes"].pop(
         "dialogs:write"))
case("security-component-openid-url-changed", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["OpenId"].__setitem__(
         "openIdConnectUrl", "https://login.example.com/.well-known/openid"))
case("security-component-unused-added", rev=lambda d: d.__setitem__("components", {
    "securitySchemes": {"Basic": {"type": "http", "scheme": "basic"}}}))

# operationId, tags, servers, version.
case("operation-id-changed", rev=lambda d: get(d).__setitem__("operationId", "readDialog"))
case("operation-id-removed", rev=lambda d: get(d).pop("operationId"))
case("operation-id-added", base=lambda d: get(d).pop("operationId"), rev=lambda d: get(d).__setitem__("operationId", "getDialog"))
case("tag-added", rev=lambda d: get(d)["tags"].append("reading"))
case("tag-removed", rev=lambda d: get(d).pop("tags"))
case("server-added", rev=lambda d: d["servers"].append({"url": "https://api-eu.example.com"}))
case("server-removed", base=lambda d: d["servers"].append({"url": "https://api-eu.example.com"}), rev=lambda d: d["servers"].pop())
case("server-url-changed", rev=lambda d: d["servers"].__setitem__(0, {"url": "https://api.quickblox.com"}))
case("server-variable-default-changed",
     base=lambda d: d.__setitem__("servers", [{"url": "https://{host}", "variables": {"host": {"default": "api.example.com"}}}]),
     rev=lambda d: d["servers"][0]["variables"]["host"].__setitem__("default", "api.quickblox.com"))
case("version-not-bumped-on-breaking", rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"), version="1.0.0")
case("version-minor-bump-on-breaking", rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"), version="1.1.0")
case("version-decreased-on-breaking", base=lambda d: d["info"].__setitem__("version", "3.0.0"),
     rev=lambda d: d["paths"]["/dialogs/{dialog_id}"].pop("delete"), version="2.0.0")
case("version-not-bumped-on-addition", rev=lambda d: rprops(d).__setitem__("photo", {"type": "string"}), version="1.0.0")
case("webhook-like-callback-added", rev=lambda d: post(d).__setitem__("callbacks", {"created": {
    "{$request.body#/callback_url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}))

# Added after the first recording (numbers 301 on): rule ids the cases above did not reach.
def global_security(*names):
    def run(d):
        with_security(d)
        for op in (post(d), get(d), delete(d)):
            op.pop("security")
        d["security"] = [{n: []} for n in names]

    return run


case("security-global-alternative-added", base=global_security("SessionToken"),
     rev=lambda d: d["security"].append({"ApiKey": []}))
case("security-global-alternative-removed", base=global_security("SessionToken", "ApiKey"),
     rev=lambda d: d["security"].pop())
case("security-global-scope-removed",
     base=lambda d: [with_oauth(d), d.__setitem__("security", [{"OAuth": ["dialogs:read", "dialogs:write"]}])],
     rev=lambda d: d["security"][0]["OAuth"].pop())
case("security-component-oauth-scope-description-changed", base=with_oauth,
     rev=lambda d: d["components"]["securitySchemes"]["OAuth"]["flows"]["authorizationCode"]["scopes"].__setitem__(
         "dialogs:read", "read dialogs and their messages"))
OBJ_PARAM = {"type": "object", "properties": {"state": {"type": "string", "enum": ["open", "closed"]},
                                              "limit": {"type": "integer"}}}
for pname, edit in (
        ("enum-value-added", lambda sc: sc["properties"]["state"]["enum"].append("archived")),
        ("enum-value-removed", lambda sc: sc["properties"]["state"]["enum"].pop()),
        ("became-not-enum", lambda sc: sc["properties"]["state"].pop("enum")),
        ("became-nullable", lambda sc: sc["properties"]["limit"].__setitem__("nullable", True)),
        ("type-changed", lambda sc: sc["properties"]["limit"].__setitem__("type", "string")),
        ("type-generalized", lambda sc: sc["properties"]["limit"].__setitem__("type", "number"))):
    case(f"query-parameter-object-property-{pname}",
         base=lambda d: param(d, "fields").__setitem__("schema", copy.deepcopy(OBJ_PARAM)),
         rev=lambda d, edit=edit: edit(param(d, "fields")["schema"]))
case("query-parameter-object-property-became-not-nullable",
     base=lambda d: [param(d, "fields").__setitem__("schema", copy.deepcopy(OBJ_PARAM)),
                     param(d, "fields")["schema"]["properties"]["limit"].__setitem__("nullable", True)],
     rev=lambda d: param(d, "fields")["schema"]["properties"]["limit"].pop("nullable"))
for kw, b, r in (("max", {"maximum": 10}, {"maximum": 5}), ("min", {"minimum": 1}, {"minimum": 5}),
                 ("max-items", {"type": "array", "items": {"type": "string"}, "maxItems": 10},
                  {"type": "array", "items": {"type": "string"}, "maxItems": 5}),
                 ("max-properties", {"type": "object", "maxProperties": 10}, {"type": "object", "maxProperties": 5})):
    case(f"request-read-only-property-{kw}-tightened",
         base=lambda d, b=b: rprops(d).__setitem__("state", dict({"type": "integer", "readOnly": True}, **b)),
         rev=lambda d, r=r: rprops(d)["state"].update(r))
for side, props in (("request", rprops), ("response", sprops)):
    case(f"{side}-property-pattern-properties-added",
         base=lambda d, props=props: props(d).__setitem__("labels", {"type": "object"}),
         rev=lambda d, props=props: props(d)["labels"].__setitem__("patternProperties", {"^x-": {"type": "string"}}))
    case(f"{side}-property-pattern-properties-removed",
         base=lambda d, props=props: props(d).__setitem__(
             "labels", {"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
         rev=lambda d, props=props: props(d)["labels"].pop("patternProperties"))
case("response-body-multiple-of-specialized", base=lambda d: resp200(d)["content"]["application/json"].__setitem__(
    "schema", {"type": "integer", "multipleOf": 5}),
    rev=lambda d: resp200(d)["content"]["application/json"]["schema"].__setitem__("multipleOf", 10))
case("response-property-multiple-of-specialized", base=lambda d: sprops(d).__setitem__(
    "count", {"type": "integer", "multipleOf": 5}), rev=lambda d: sprops(d)["count"].__setitem__("multipleOf", 10))
case("response-media-type-changed", rev=lambda d: resp200(d).__setitem__(
    "content", {"application/xml": resp200(d)["content"]["application/json"]}))
case("response-required-write-only-property-removed",
     base=lambda d: [sprops(d).__setitem__("password", {"type": "string", "writeOnly": True}),
                     resp_schema(d)["required"].append("password")],
     rev=lambda d: [sprops(d).pop("password"), resp_schema(d)["required"].remove("password")])
case("response-write-only-property-became-optional",
     base=lambda d: [sprops(d).__setitem__("password", {"type": "string", "writeOnly": True}),
                     resp_schema(d)["required"].append("password")],
     rev=lambda d: resp_schema(d)["required"].remove("password"))

# ---------------------------------------------------------------------------------------------------------------
# Group 2: the schema-edit matrix. Each edit is a (base schema, revision schema) pair of a leaf schema; each place
# puts that schema where oasdiff names the change differently.

S = {"type": "string"}
I = {"type": "integer"}
ARR = {"type": "array", "items": {"type": "string"}}
OBJ = {"type": "object", "additionalProperties": {"type": "string"}}


def s(**kw):
    return dict(S, **kw)


def i(**kw):
    return dict(I, **kw)


def arr(**kw):
    return dict(ARR, **kw)


def obj(**kw):
    return dict(OBJ, **kw)


EDITS = [
    ("max-length-set", S, s(maxLength=10)),
    ("max-length-decreased", s(maxLength=20), s(maxLength=10)),
    ("max-length-increased", s(maxLength=10), s(maxLength=20)),
    ("max-length-unset", s(maxLength=10), S),
    ("min-length-set", S, s(minLength=2)),
    ("min-length-increased", s(minLength=2), s(minLength=4)),
    ("min-length-decreased", s(minLength=4), s(minLength=2)),
    ("max-set", I, i(maximum=100)),
    ("max-decreased", i(maximum=100), i(maximum=50)),
    ("max-increased", i(maximum=50), i(maximum=100)),
    ("max-unset", i(maximum=100), I),
    ("min-set", I, i(minimum=1)),
    ("min-increased", i(minimum=1), i(minimum=5)),
    ("min-decreased", i(minimum=5), i(minimum=1)),
    ("exclusive-max-set", i(maximum=100), i(maximum=100, exclusiveMaximum=True)),
    ("multiple-of-set", I, i(multipleOf=5)),
    ("max-items-decreased", arr(maxItems=10), arr(maxItems=5)),
    ("min-items-increased", arr(minItems=1), arr(minItems=2)),
    ("unique-items-set", ARR, arr(uniqueItems=True)),
    ("items-type-changed", ARR, {"type": "array", "items": {"type": "integer"}}),
    ("min-length-unset", s(minLength=2), S),
    ("min-unset", i(minimum=1), I),
    ("multiple-of-changed", i(multipleOf=5), i(multipleOf=3)),
    ("multiple-of-generalized", i(multipleOf=10), i(multipleOf=5)),
    ("multiple-of-unset", i(multipleOf=5), I),
    ("max-items-set", ARR, arr(maxItems=10)),
    ("max-items-increased", arr(maxItems=5), arr(maxItems=10)),
    ("max-items-unset", arr(maxItems=10), ARR),
    ("min-items-set", ARR, arr(minItems=1)),
    ("min-items-decreased", arr(minItems=2), arr(minItems=1)),
    ("min-items-unset", arr(minItems=1), ARR),
    ("unique-items-unset", arr(uniqueItems=True), ARR),
    ("max-properties-set", OBJ, obj(maxProperties=5)),
    ("max-properties-decreased", obj(maxProperties=10), obj(maxProperties=5)),
    ("max-properties-increased", obj(maxProperties=5), obj(maxProperties=10)),
    ("max-properties-unset", obj(maxProperties=5), OBJ),
    ("min-properties-set", OBJ, obj(minProperties=1)),
    ("min-properties-increased", obj(minProperties=1), obj(minProperties=2)),
    ("min-properties-decreased", obj(minProperties=2), obj(minProperties=1)),
    ("min-properties-unset", obj(minProperties=1), OBJ),
    ("pattern-added", S, s(pattern="^[a-z]+$")),
    ("pattern-changed", s(pattern="^[a-z]+$"), s(pattern="^[0-9]+$")),
    ("pattern-generalized", s(pattern="^[a-z]+$"), s(pattern=".*")),
    ("pattern-removed", s(pattern="^[a-z]+$"), S),
    ("became-enum", S, s(enum=["a", "b"])),
    ("enum-value-added", s(enum=["a", "b"]), s(enum=["a", "b", "c"])),
    ("enum-value-removed", s(enum=["a", "b", "c"]), s(enum=["a", "b"])),
    ("became-not-enum", s(enum=["a", "b"]), S),
    ("type-string-to-integer", S, I),
    ("type-integer-to-number", I, {"type": "number"}),
    ("type-number-to-integer", {"type": "number"}, I),
    ("format-added", S, s(format="date-time")),
    ("format-changed", s(format="date"), s(format="date-time")),
    ("format-removed", s(format="date-time"), S),
    ("format-int32-to-int64", i(format="int32"), i(format="int64")),
    ("became-nullable", S, s(nullable=True)),
    ("became-not-nullable", s(nullable=True), S),
    ("default-added", S, s(default="x")),
    ("default-changed", s(default="x"), s(default="y")),
    ("default-removed", s(default="x"), S),
]

PLACES = ["request-body", "request-property", "request-parameter", "response-body", "response-property",
          "response-header"]


def place(d, where, schema):
    schema = copy.deepcopy(schema)
    if where == "request-body":
        post(d)["requestBody"]["content"]["application/json"]["schema"] = schema
    elif where == "request-property":
        rprops(d)["subject"] = schema
    elif where == "request-parameter":
        add_param(d, {"name": "subject", "in": "query", "required": False, "schema": schema})
    elif where == "response-body":
        resp200(d)["content"]["application/json"]["schema"] = schema
    elif where == "response-property":
        sprops(d)["subject"] = schema
        resp_schema(d)["required"].append("subject")
    elif where == "response-header":
        resp200(d)["headers"] = {"X-Subject": {"required": True, "schema": schema}}
    else:
        raise ValueError(where)


CASES_MATRIX = [(f"{where}-{edit}", base, rev) for where in PLACES for edit, base, rev in EDITS]

# ---------------------------------------------------------------------------------------------------------------
# Group 3: realistic edits of openapi/dialog.yaml.


def dialog():
    with open(ROOT / "openapi" / "dialog.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def dop(d):
    return d["paths"]["/chat/Dialog.json"]["post"]


def dschemas(d):
    return d["components"]["schemas"]


CASES_DIALOG = []


def dcase(name, rev, base=None):
    CASES_DIALOG.append((name, base, rev))


dcase("name-max-length-lowered", lambda d: dschemas(d)["CreateDialogRequest"]["properties"]["name"].__setitem__("maxLength", 100))
dcase("name-max-length-raised", lambda d: dschemas(d)["CreateDialogRequest"]["properties"]["name"].__setitem__("maxLength", 255))
dcase("name-became-required", lambda d: dschemas(d)["CreateDialogRequest"]["required"].append("name"))
dcase("optional-request-field-added", lambda d: dschemas(d)["CreateDialogRequest"]["properties"].__setitem__(
    "description", {"description": "What the dialog is about.", "type": "string"}))
dcase("required-request-field-added", lambda d: [dschemas(d)["CreateDialogRequest"]["properties"].__setitem__(
    "description", {"description": "What the dialog is about.", "type": "string"}),
    dschemas(d)["CreateDialogRequest"]["required"].append("description")])
dcase("request-field-removed", lambda d: dschemas(d)["CreateDialogRequest"]["properties"].pop("photo"))
dcase("dialog-type-value-added", lambda d: dschemas(d)["DialogType"]["enum"].append(4))
dcase("dialog-type-value-removed", lambda d: dschemas(d)["DialogType"]["enum"].remove(1))
dcase("dialog-type-became-string", lambda d: [dschemas(d)["DialogType"].update({"type": "string", "enum": ["1", "2", "3"]}),
                                             dschemas(d)["DialogType"].pop("format")])
dcase("response-required-field-removed", lambda d: [dschemas(d)["Dialog"]["properties"].pop("xmpp_room_jid"),
                                                   dschemas(d)["Dialog"]["required"].remove("xmpp_room_jid")])
dcase("response-field-became-optional", lambda d: dschemas(d)["Dialog"]["required"].remove("last_message"))
dcase("response-field-added-required", lambda d: [dschemas(d)["Dialog"]["properties"].__setitem__(
    "pinned", {"description": "Whether the dialog is pinned.", "type": "boolean"}), dschemas(d)["Dialog"]["required"].append("pinned")])
dcase("response-name-became-nullable", lambda d: dschemas(d)["Dialog"]["properties"]["name"].__setitem__("nullable", True))
dcase("response-photo-became-not-nullable", lambda d: dschemas(d)["Dialog"]["properties"]["photo"].pop("nullable"))
dcase("response-user-id-int32", lambda d: dschemas(d)["Dialog"]["properties"]["user_id"].__setitem__("format", "int32"))
dcase("response-created-at-date", lambda d: dschemas(d)["Dialog"]["properties"]["created_at"].__setitem__("format", "date"))
dcase("response-last-message-date-sent-string", lambda d: dschemas(d)["Dialog"]["properties"]["last_message_date_sent"].update(
    {"type": "string", "format": "date-time"}))
dcase("response-id-pattern-removed", lambda d: dschemas(d)["Dialog"]["properties"]["_id"].pop("pattern"))
dcase("response-occupants-unique", lambda d: dschemas(d)["Dialog"]["properties"]["occupants_ids"].__setitem__("uniqueItems", True))
dcase("response-additional-properties-closed", lambda d: dschemas(d)["Dialog"].__setitem__("additionalProperties", False))
dcase("request-admin-ids-max-items", lambda d: dschemas(d)["CreateDialogRequest"]["properties"]["admin_ids"].__setitem__("maxItems", 10))
dcase("occupants-joined-form-removed", lambda d: dschemas(d)["OccupantIds"]["oneOf"].pop())
dcase("occupants-object-form-added", lambda d: dschemas(d)["OccupantIds"]["oneOf"].append(
    {"title": "Object", "description": "The ids under a key.", "type": "object",
     "properties": {"ids": {"description": "The ids.", "type": "array", "items": {"description": "An id.", "type": "integer"}}}}))
dcase("custom-data-class-name-min-length-raised", lambda d: dschemas(d)["CustomData"]["properties"]["class_name"].__setitem__("minLength", 3))
dcase("error-shapes-swapped", lambda d: dschemas(d)["ErrorResponse"]["oneOf"].reverse())
dcase("on-behalf-of-required", lambda d: dop(d)["parameters"][0].__setitem__("required", True))
dcase("on-behalf-of-lowercased", lambda d: dop(d)["parameters"][0].__setitem__("name", "on-behalf-of"))
dcase("on-behalf-of-string", lambda d: dop(d)["parameters"][0].__setitem__("schema", {"type": "string"}))
dcase("on-behalf-of-removed", lambda d: dop(d).pop("parameters"))
dcase("on-behalf-of-deprecated-with-sunset", lambda d: deprecate(dop(d)["parameters"][0], FUTURE))
dcase("token-expiration-header-added", lambda d: dop(d)["responses"]["201"].__setitem__("headers", {
    QB_TOKEN_EXP: {"description": "When the session token expires.", "required": True,
                   "schema": {"type": "string", "format": "date-time"}}}))
dcase("token-expiration-header-removed", base=lambda d: dop(d)["responses"]["201"].__setitem__("headers", {
    QB_TOKEN_EXP: {"description": "When the session token expires.", "required": True,
                   "schema": {"type": "string", "format": "date-time"}}}),
    rev=lambda d: dop(d)["responses"]["201"].pop("headers"))
dcase("token-expiration-header-lowercased", base=lambda d: dop(d)["responses"]["201"].__setitem__("headers", {
    QB_TOKEN_EXP: {"description": "When the session token expires.", "required": True,
                   "schema": {"type": "string", "format": "date-time"}}}),
    rev=lambda d: dop(d)["responses"]["201"].__setitem__("headers", {
        QB_TOKEN_EXP.lower(): dop(d)["responses"]["201"]["headers"][QB_TOKEN_EXP]}))
dcase("retry-after-header-added-on-429", lambda d: dop(d)["responses"]["429"].__setitem__("headers", {
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}))
dcase("created-became-ok", lambda d: dop(d)["responses"].__setitem__("200", dop(d)["responses"].pop("201")))
dcase("rate-limit-response-removed", lambda d: dop(d)["responses"].pop("429"))
dcase("conflict-response-added", lambda d: dop(d)["responses"].__setitem__("409", copy.deepcopy(dop(d)["responses"]["404"])))
dcase("form-body-added", lambda d: dop(d)["requestBody"]["content"].__setitem__(
    "application/x-www-form-urlencoded", {"schema": {"$ref": "#/components/schemas/CreateDialogRequest"}}))
dcase("api-key-scheme-removed", lambda d: [dop(d)["security"].pop(), d["components"]["securitySchemes"].pop("ApiKey")])
dcase("api-key-header-renamed", lambda d: d["components"]["securitySchemes"]["ApiKey"].__setitem__("name", "X-QB-Api-Key"))
dcase("operation-id-camel-case", lambda d: dop(d).__setitem__("operationId", "createDialog"))
dcase("operation-deprecated-with-sunset", lambda d: deprecate(dop(d), FUTURE))
dcase("operation-removed", lambda d: [d["paths"].pop("/chat/Dialog.json"), d["paths"].__setitem__(
    "/chat/Dialog/{dialog_id}.json", {"delete": {"operationId": "delete_dialog", "summary": "Delete", "description": "Deletes a dialog.",
                                                 "parameters": [{"name": "dialog_id", "in": "path", "required": True, "description": "The id.", "schema": {"type": "string"}}],
                                                 "responses": {"200": {"description": "Deleted."}}}})])
dcase("list-endpoint-added", lambda d: d["paths"]["/chat/Dialog.json"].__setitem__("get", {
    "operationId": "list_dialogs", "summary": "List dialogs", "description": "Lists the user's dialogs.", "tags": ["dialogs"],
    "security": [{"SessionToken": []}],
    "parameters": [{"name": "limit", "in": "query", "description": "At most this many.", "schema": {"type": "integer", "maximum": 100}}],
    "responses": {"200": {"description": "The dialogs.", "content": {"application/json": {"schema": {
        "type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Dialog"}}}}}}}}}))
dcase("server-host-default-changed", lambda d: d["servers"][0]["variables"]["host"].__setitem__("default", "apiXXXX.quickblox.com"))
dcase("descriptions-reworded", lambda d: [dop(d).__setitem__("summary", "Create a chat dialog"),
                                         dschemas(d)["Dialog"].__setitem__("description", "A dialog.")])
dcase("custom-data-closed", lambda d: dschemas(d)["CustomData"].__setitem__("additionalProperties", False))
dcase("is-join-required-default", lambda d: dschemas(d)["CreateDialogRequest"]["properties"]["is_join_required"].__setitem__("default", 0))
dcase("request-name-deprecated", lambda d: deprecate(dschemas(d)["CreateDialogRequest"]["properties"]["name"], FUTURE))
dcase("dialog-inlined-in-response", lambda d: dop(d)["responses"]["201"]["content"]["application/json"].__setitem__(
    "schema", copy.deepcopy(dschemas(d)["Dialog"])))
dcase("tag-renamed", lambda d: [dop(d).__setitem__("tags", ["chat"]), d.__setitem__("tags", [{"name": "chat", "description": "Chat."}])])

# ---------------------------------------------------------------------------------------------------------------
# Writing.


class Dumper(yaml.SafeDumper):
    """Block style, keys in definition order, no aliases: small files a reviewer reads top to bottom."""

    def ignore_aliases(self, data):
        return True


def _str(dumper, text):
    # Multi-line descriptions stay readable as literal blocks, as in openapi/dialog.yaml.
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


Dumper.add_representer(str, _str)


def dump(doc):
    return yaml.dump(doc, Dumper=Dumper, sort_keys=False, default_flow_style=False, width=120, allow_unicode=True)


def apply(edit, d):
    if edit is not None:
        edit(d)


# Each group's cases are numbered from its first number, so that a case added to one group renumbers no other.
GROUPS = {"mini": 1, "matrix": 401, "dialog": 901}


def build():
    """Every case as (directory name, base text, revision text, flags or None)."""
    out = []
    number = {"next": 0}

    def emit(name, base, rev, flags=None):
        number["next"] += 1
        out.append((f"{number['next']:03d}-{name}", dump(base), dump(rev), flags))

    def group(first):
        if number["next"] >= first:
            sys.exit(f"gen.py: the previous group runs past {first - 1}: move the group starts apart")
        number["next"] = first - 1

    group(GROUPS["mini"])
    for name, b, r, flags, version in CASES_MINI:
        base = mini()
        apply(b, base)
        rev = copy.deepcopy(base)
        apply(r, rev)
        rev["info"]["version"] = version
        emit(name, base, rev, flags)
    group(GROUPS["matrix"])
    for name, bschema, rschema in CASES_MATRIX:
        where = name.split("-")[0] + "-" + name.split("-")[1]
        base = mini()
        place(base, where, bschema)
        rev = mini()
        place(rev, where, rschema)
        rev["info"]["version"] = "2.0.0"
        emit(name, base, rev)
    group(GROUPS["dialog"])
    for name, b, r in CASES_DIALOG:
        base = dialog()
        apply(b, base)
        rev = copy.deepcopy(base)
        apply(r, rev)
        rev["info"]["version"] = "2.0.0"
        emit(f"dialog-{name}", base, rev)
    names = [c[0].split("-", 1)[1] for c in out]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        sys.exit(f"gen.py: duplicate case names: {sorted(duplicates)}")
    return out


def main():
    check = "--check" in sys.argv[1:]
    cases = build()
    expected = {}
    for name, base, rev, flags in cases:
        expected[f"{name}/base.yaml"] = base
        expected[f"{name}/revision.yaml"] = rev
        if flags:
            expected[f"{name}/flags"] = flags + "\n"
    if check:
        stale = []
        for rel, text in expected.items():
            path = CASES / rel
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(rel)
        known = {c[0] for c in cases}
        extra = [p.name for p in CASES.iterdir() if p.is_dir() and p.name not in known] if CASES.is_dir() else []
        if stale or extra:
            sys.exit(f"gen.py --check: {len(stale)} stale file(s) (first: {stale[:3]}), {len(extra)} unknown case "
                     f"dir(s) {extra[:3]}: run conformance/oasdiff/gen.py and record.sh, and commit the result")
        print(f"{len(cases)} cases up to date")
        return
    known = {c[0] for c in cases}
    CASES.mkdir(exist_ok=True)
    for p in CASES.iterdir():
        if p.is_dir() and p.name not in known:
            shutil.rmtree(p)
    for name, base, rev, flags in cases:
        dirpath = CASES / name
        dirpath.mkdir(exist_ok=True)
        (dirpath / "base.yaml").write_text(base, encoding="utf-8")
        (dirpath / "revision.yaml").write_text(rev, encoding="utf-8")
        flags_path = dirpath / "flags"
        if flags:
            flags_path.write_text(flags + "\n", encoding="utf-8")
        elif flags_path.exists():
            flags_path.unlink()
    print(f"wrote {len(cases)} cases to {CASES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
