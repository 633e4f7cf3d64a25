// What a TypeScript team writes against the published spec: each vendor recipe as a typed request body,
// and a created Dialog and both error shapes read back. `tsc --strict` checks it against the types that
// openapi-typescript generated from dist/dialog.yaml into publish/out/typescript/dialog.d.ts.
import type { components, operations, paths } from "../out/typescript/dialog";

type Schemas = components["schemas"];
type CreateDialogRequest = Schemas["CreateDialogRequest"];
type Dialog = Schemas["Dialog"];
type ErrorResponse = Schemas["ErrorResponse"];
type CreateDialog = operations["create_dialog"];

// The request body of the one operation, reached through `paths` as a fetch wrapper would.
type Body = NonNullable<paths["/chat/Dialog.json"]["post"]["requestBody"]>["content"]["application/json"];
const sameType: CreateDialogRequest extends Body ? (Body extends CreateDialogRequest ? true : false) : false = true;

// The vendor's recipes, as the spec's request examples have them.
export const recipes: Record<string, CreateDialogRequest> = {
  private: { type: 3, occupants_ids: "102433721" },
  public: { type: 1, name: "Soccer news", photo: "67834" },
  group: { type: 2, name: "New Year party", occupants_ids: "96831397,96831328,96830631,96754523", photo: "68123" },
  custom_data: {
    type: 2,
    name: "Chat with Bob, Sam, Garry",
    occupants_ids: "96754523,96830631,96831328",
    data: { class_name: "ScoreTable", game_mode_name: "rainbow dash", expert_mode: "3", progress: "56" },
  },
  api_key: { type: 2, name: "New Year party", occupants_ids: "96831397,96831328,96830631,96754523", photo: "68123" },
  // Occupants may also go as a list of ids.
  group_as_list: { type: 2, name: "New Year party", occupants_ids: [96831397, 96831328], is_join_required: 1 },
};

// The headers of the two schemes; `On-Behalf-Of` is a parameter of the operation.
export const sessionTokenHeaders = { "QB-Token": "<session token>" };
const onBehalfOf: NonNullable<CreateDialog["parameters"]["header"]>["On-Behalf-Of"] = 123;
export const apiKeyHeaders = { Authorization: "ApiKey <api key>", "On-Behalf-Of": String(onBehalfOf) };

// @ts-expect-error: 4 is no dialog type.
export const wrongType: CreateDialogRequest = { type: 4 };
// @ts-expect-error: `type` is required.
export const noType: CreateDialogRequest = { name: "no type" };
// @ts-expect-error: custom data needs its class name.
export const noClass: CreateDialogRequest = { type: 2, data: { progress: 56 } };

type Created = CreateDialog["responses"][201]["content"]["application/json"];
const createdIsDialog: Created extends Dialog ? true : false = true;

/** Reads a created dialog as an app would: room to join, last message, custom data, and a field the API added later. */
export function describe(dialog: Dialog): string {
  const kind = dialog.type === 1 ? "public group" : dialog.type === 2 ? "group" : "private dialog";
  const room: string = dialog.xmpp_room_jid ?? "(no room: private dialog)";
  const last: string = dialog.last_message ?? "(no message yet)";
  const occupants: number = dialog.occupants_ids.length;
  const unread: number = dialog.unread_messages_count ?? 0;
  const custom: string = dialog.data ? `${dialog.data.class_name}: ${JSON.stringify(dialog.data["progress"])}` : "";
  const later: unknown = dialog["pinned_messages_ids"];
  const joinRequired: boolean = dialog.is_join_required === 1;
  return `${dialog._id} ${kind} ${dialog.name} ${room} ${last} ${occupants} ${unread} ${custom} ${String(later)} ${joinRequired} ${dialog.created_at}`;
}

/** Both error shapes: a list of messages, or messages keyed by field (or `base`). */
export function errorMessages(body: ErrorResponse): string[] {
  if (Array.isArray(body.errors)) {
    return body.errors;
  }
  return Object.entries(body.errors).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));
}

const unprocessable: CreateDialog["responses"][422]["content"]["application/json"] = {
  errors: { base: ["Too many occupants for Private Dialog."] },
};
const unauthorized: CreateDialog["responses"][401]["content"]["application/json"] = { errors: ["Unauthorized"] };

export const created: Dialog = {
  _id: "5d75e1cfa28f9a3a6e000014",
  created_at: "2020-01-21T10:00:00Z",
  updated_at: "2020-01-21T10:00:00Z",
  type: 2,
  user_id: 102433721,
  name: "Chat with Bob, Sam, Garry",
  occupants_ids: [96754523, 96830631, 96831328, 102433721],
  photo: null,
  xmpp_room_jid: "76730_5d75e1cfa28f9a3a6e000014@muc.chat.quickblox.com",
  last_message: null,
  last_message_id: null,
  last_message_date_sent: null,
  last_message_user_id: null,
  unread_messages_count: null,
  is_join_required: 0,
  data: { class_name: "ScoreTable", progress: "56" },
};

export const checks = [sameType, createdIsDialog, describe(created), errorMessages(unprocessable), errorMessages(unauthorized)];
