// Smoke test of the TypeScript client a TypeScript team builds from dist/dialog.yaml: openapi-typescript's types
// (publish/out/typescript/dialog.d.ts) with openapi-fetch, compiled by `tsc --strict` (tsconfig.smoke.json) and run
// with Node by publish/check.sh against the mock server started with
// `--token smoke-session-token:555 --api-key smoke-api-key`. It creates dialogs with both auth schemes, reads the
// 201 back as a Dialog with the custom `data` fields intact, and reads both error shapes as ErrorResponse.
// Given a second URL (publish/wire/capture.py), it also lists dialogs with filters and deletes two dialogs there,
// so that check.sh can compare what went on the wire with publish/snapshots/wire-typescript.txt.
// docs/usage-typescript.md quotes the marked parts verbatim (check.sh checks that).
import createClient from "openapi-fetch";
import type { components, paths } from "../out/typescript/dialog.js";

type Dialog = components["schemas"]["Dialog"];
type ErrorResponse = components["schemas"]["ErrorResponse"];
type DialogType = components["schemas"]["DialogType"];
type DialogListResult = components["schemas"]["DialogListResult"];
type DeleteDialogsResult = components["schemas"]["DeleteDialogsResult"];

const SESSION_TOKEN = "smoke-session-token";
const SESSION_USER = 555;
const API_KEY = "smoke-api-key";

let passed = 0;
const failed: string[] = [];
function check(name: string, ok: boolean, detail: unknown): void {
  if (ok) {
    passed += 1;
    console.log(`ok    ${name}`);
  } else {
    failed.push(name);
    console.log(`FAIL  ${name}: ${JSON.stringify(detail)}`);
  }
}
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// usage: session token
function sessionTokenClient(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { "QB-Token": token } });
}
// end usage

// usage: api key
function apiKeyClient(baseUrl: string, key: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `ApiKey ${key}` } });
}
// end usage

// usage: error shapes
/** Every error, in either shape, as lines of text; `base` is the request as a whole. */
function errorLines(body: ErrorResponse): string[] {
  if (Array.isArray(body.errors)) {
    return body.errors;
  }
  return Object.entries(body.errors).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));
}
// end usage

async function run(baseUrl: string): Promise<void> {
  // usage: create with a session token
  const session = sessionTokenClient(baseUrl, SESSION_TOKEN);
  const { data: privateDialog, error } = await session.POST("/chat/Dialog.json", {
    body: { type: 3, occupants_ids: "102433721" },
  });
  if (error) throw new Error(errorLines(error).join("; "));
  // end usage
  check("session token: a private dialog", privateDialog.type === 3, privateDialog.type);
  check("session token: no room for a private dialog", privateDialog.xmpp_room_jid === null, privateDialog.xmpp_room_jid);
  check("session token: the creator and the opponent are occupants", same(privateDialog.occupants_ids, [SESSION_USER, 102433721]), privateDialog.occupants_ids);
  check("session token: 24 hex digit id", /^[0-9a-f]{24}$/.test(privateDialog._id), privateDialog._id);

  // usage: custom data
  const created = await session.POST("/chat/Dialog.json", {
    body: {
      type: 2,
      name: "Chat with Bob, Sam, Garry",
      occupants_ids: [96754523, 96830631],
      data: { class_name: "ScoreTable", game_mode_name: "rainbow dash", progress: 56 },
    },
  });
  const group: Dialog | undefined = created.data;
  const progress: unknown = group?.data?.["progress"]; // 56, as sent
  // end usage
  check("custom data: 201", created.response.status === 201 && group !== undefined, created.error);
  if (group) {
    check("custom data: a group", group.type === 2, group.type);
    check("custom data: occupants sent as a list", same(group.occupants_ids, [SESSION_USER, 96754523, 96830631]), group.occupants_ids);
    check("custom data: class name", group.data?.class_name === "ScoreTable", group.data);
    check("custom data: a string field kept", group.data?.["game_mode_name"] === "rainbow dash", group.data);
    check("custom data: a number field kept", progress === 56, progress);
    check("custom data: a group has a room", group.xmpp_room_jid?.endsWith("@muc.chat.quickblox.com") === true, group.xmpp_room_jid);
    check("custom data: join not required", group.is_join_required === 0, group.is_join_required);
  }

  // usage: create with an api key
  const server = apiKeyClient(baseUrl, API_KEY);
  const forUser = await server.POST("/chat/Dialog.json", {
    params: { header: { "On-Behalf-Of": 123 } },
    body: { type: 2, name: "New Year party", occupants_ids: "96831397,96831328" },
  });
  // end usage
  check("api key: 201", forUser.response.status === 201, forUser.error);
  check("api key: the dialog acts for user 123", forUser.data?.user_id === 123, forUser.data);
  check("api key: a group with its name", forUser.data?.type === 2 && forUser.data.name === "New Year party", forUser.data);

  // The message list: an API key the server does not know.
  const unknownKey = await apiKeyClient(baseUrl, "wrong-api-key").POST("/chat/Dialog.json", {
    params: { header: { "On-Behalf-Of": 123 } },
    body: { type: 1, name: "x" },
  });
  check("unknown api key: 401", unknownKey.response.status === 401, unknownKey.response.status);
  check("unknown api key: a message list", Array.isArray(unknownKey.error?.errors), unknownKey.error);
  check("unknown api key: the message", unknownKey.error !== undefined && same(errorLines(unknownKey.error), ["Unauthorized: unknown API key"]), unknownKey.error);
  // The field-keyed shape: a session token the server does not know, as the real API answers an expired one.
  const unknownToken = await sessionTokenClient(baseUrl, "expired-token").POST("/chat/Dialog.json", { body: { type: 1, name: "x" } });
  check("unknown session token: 401", unknownToken.response.status === 401, unknownToken.response.status);
  const fieldKeyed = unknownToken.error?.errors;
  check("unknown session token: field-keyed", fieldKeyed !== undefined && !Array.isArray(fieldKeyed) && same(fieldKeyed, { base: ["Required session does not exist"] }), unknownToken.error);
  // Field-keyed again, with a 422: the API key without On-Behalf-Of.
  const needUser = await server.POST("/chat/Dialog.json", { body: { type: 1, name: "x" } });
  check("api key without On-Behalf-Of: 422", needUser.response.status === 422, needUser.response.status);
  check("api key without On-Behalf-Of: field-keyed", needUser.error !== undefined && same(errorLines(needUser.error), ["base: Forbidden. Need user."]), needUser.error);
}

// The same filters in every language's smoke program, so that the wire snapshots can be compared line by line.
const WIRE_DELETE_IDS = "5d75626ea28f9a1490cb0f98,5d7562d4a28f9a1694cb0f9b";

async function wire(wireUrl: string): Promise<void> {
  const query = {
    "updated_at[gt]": 1556829805,
    "type[in]": [1, 2] as DialogType[],
    "name[ctn]": "New Year",
    "_id[ne]": "5cc9bb58a28f9a406659d777",
    sort_desc: "last_message_date_sent" as const,
    limit: 3,
    data: { class_name: "CoolDialog", category: "friends" },
  };
  // openapi-fetch does not read `style` or `explode` from the spec: by default it sends a list as one pair per
  // item (`type[in]=1&type[in]=2`), which the API does not describe. Its `querySerializer` option joins lists as
  // the spec says; both requests are recorded, the default one first.
  const plain = sessionTokenClient(wireUrl, SESSION_TOKEN);
  const joined = createClient<paths>({
    baseUrl: wireUrl,
    headers: { "QB-Token": SESSION_TOKEN },
    querySerializer: { array: { style: "form", explode: false } },
  });
  for (const [label, client] of [["default", plain], ["querySerializer explode: false", joined]] as const) {
    const listed = await client.GET("/chat/Dialog.json", { params: { query } });
    const page: DialogListResult | undefined = listed.data;
    check(`wire (${label}): the list answer is a page`, page !== undefined && "total_entries" in page && page.total_entries === 0 && Array.isArray(page.items) && page.items.length === 0, listed.data ?? listed.error);
  }
  const deleted = await joined.DELETE("/chat/Dialog/{chat_dialog_id}.json", {
    params: { path: { chat_dialog_id: WIRE_DELETE_IDS }, query: { force: 1 } },
  });
  const outcome: DeleteDialogsResult | undefined = deleted.data;
  check("wire: the delete answer names both ids", same(outcome?.SuccessfullyDeleted?.ids, WIRE_DELETE_IDS.split(",")), deleted.data ?? deleted.error);
}

const [baseUrl, wireUrl] = process.argv.slice(2);
if (baseUrl === undefined || process.argv.length > 4) {
  console.error("usage: node smoke.mjs BASE_URL [WIRE_URL] (a running quickblox-dialog-mock, and publish/wire/capture.py)");
  process.exit(2);
}
try {
  await run(baseUrl);
  if (wireUrl !== undefined) await wire(wireUrl);
} catch (e) {
  check("no unexpected error", false, String(e));
}
console.log(`typescript: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
