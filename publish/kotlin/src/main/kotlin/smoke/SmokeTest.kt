// Smoke test of the Kotlin client that openapi-generator (`kotlin`, jvm-okhttp4 with Moshi) wrote from
// dist/dialog.json, with the hand-written types of dialog/adapters put in place by `--schema-mappings`.
//
// Run by publish/check.sh against the mock server started with
// `--token smoke-session-token:555 --api-key smoke-api-key`: it creates dialogs with both auth schemes, reads
// the 201 back into the generated Dialog with the custom `data` fields intact, and decodes both error shapes
// into ErrorResponse. docs/usage-kotlin.md quotes the marked parts verbatim (check.sh checks that).
// Given a second URL (publish/wire/capture.py), it also lists dialogs with filters and deletes two dialogs there,
// so that check.sh can compare what went on the wire with publish/snapshots/wire-kotlin.txt.
package smoke

import dialog.adapters.CustomData
import dialog.adapters.DialogListResult
import dialog.adapters.ErrorResponse
import dialog.adapters.IntegerEnums
import dialog.adapters.OccupantIds
import kotlin.system.exitProcess
import org.openapitools.client.apis.DialogsApi
import org.openapitools.client.infrastructure.ApiClient
import org.openapitools.client.infrastructure.ClientError
import org.openapitools.client.infrastructure.ClientException
import org.openapitools.client.infrastructure.Serializer
import org.openapitools.client.models.CreateDialogRequest
import org.openapitools.client.models.Dialog
import org.openapitools.client.models.DialogSortField
import org.openapitools.client.models.DialogType
import org.openapitools.client.models.Flag

const val SESSION_TOKEN = "smoke-session-token"
const val SESSION_USER = 555L
const val API_KEY = "smoke-api-key"

// usage: adapters
/** Once, before the first request: the generated enums go as numbers, not as their names. */
fun installAdapters() {
    Serializer.moshiBuilder.add(IntegerEnums)
}
// end usage

// usage: session token
/** The generated ApiClient keeps credentials in its companion object: one set per process, so set one scheme only. */
fun useSessionToken(token: String) {
    ApiClient.apiKey.clear()
    ApiClient.apiKeyPrefix.clear()
    ApiClient.apiKey["QB-Token"] = token
}
// end usage

// usage: api key
fun useApiKey(key: String) {
    ApiClient.apiKey.clear()
    ApiClient.apiKeyPrefix.clear()
    ApiClient.apiKey["Authorization"] = key
    ApiClient.apiKeyPrefix["Authorization"] = "ApiKey" // sent as `Authorization: ApiKey <key>`
}
// end usage

// usage: error shapes
/** The body of a 4xx answer, in either shape, read with the adapter of dialog/adapters. */
fun ClientException.errorBody(): ErrorResponse {
    val body = (response as ClientError<*>).body as String
    return Serializer.moshi.adapter(ErrorResponse::class.java).fromJson(body)!!
}

/** Every error as lines of text; `base` is the request as a whole. */
fun ErrorResponse.lines(): List<String> = when (this) {
    is ErrorResponse.Messages -> body.errors
    is ErrorResponse.Fields -> body.errors.flatMap { (field, messages) -> messages.map { "$field: $it" } }
}
// end usage

class Checks {
    var passed = 0
    val failed = mutableListOf<String>()

    fun check(name: String, condition: Boolean, detail: Any?) {
        if (condition) {
            passed++
            println("ok    $name")
        } else {
            failed.add(name)
            println("FAIL  $name: $detail")
        }
    }

    /** Runs a call that must fail with [status], and gives its decoded body. */
    fun expectError(name: String, status: Int, call: () -> Any): ErrorResponse? {
        try {
            val unexpected = call()
            check("$name: $status", false, "no error, got $unexpected")
        } catch (e: ClientException) {
            check("$name: $status", e.statusCode == status, "${e.statusCode} ${(e.response as? ClientError<*>)?.body}")
            return runCatching { e.errorBody() }.onFailure { check("$name: the body decodes", false, it) }.getOrNull()
        }
        return null
    }
}

fun run(baseUrl: String, checks: Checks) {
    // usage: create with a session token
    useSessionToken(SESSION_TOKEN)
    val api = DialogsApi(baseUrl)
    val private = api.createDialog(CreateDialogRequest(type = DialogType.Private, occupantsIds = OccupantIds.Joined("102433721")))
    // end usage
    checks.check("session token: a private dialog", private.type == DialogType.Private, private.type)
    checks.check("session token: no room for a private dialog", private.xmppRoomJid == null, private.xmppRoomJid)
    checks.check("session token: the creator and the opponent are occupants", private.occupantsIds == listOf(SESSION_USER, 102433721L), private.occupantsIds)
    checks.check("session token: 24 hex digit id", Regex("[0-9a-f]{24}").matches(private.id), private.id)

    // usage: custom data
    val group = api.createDialog(
        CreateDialogRequest(
            type = DialogType.Group,
            name = "Chat with Bob, Sam, Garry",
            occupantsIds = OccupantIds.List(listOf(96754523L, 96830631L)),
            `data` = CustomData("ScoreTable", mapOf("game_mode_name" to "rainbow dash", "progress" to 56)),
        ),
    )
    val progress = group.`data`?.fields?.get("progress") // 56.0: Moshi reads JSON numbers as Double
    // end usage
    checks.check("custom data: a group", group.type == DialogType.Group, group.type)
    checks.check("custom data: occupants sent as a list", group.occupantsIds == listOf(SESSION_USER, 96754523L, 96830631L), group.occupantsIds)
    checks.check("custom data: class name", group.`data`?.className == "ScoreTable", group.`data`)
    checks.check("custom data: a string field kept", group.`data`?.fields?.get("game_mode_name") == "rainbow dash", group.`data`)
    checks.check("custom data: a number field kept", (progress as? Number)?.toInt() == 56, progress)
    checks.check("custom data: a group has a room", group.xmppRoomJid?.endsWith("@muc.chat.quickblox.com") == true, group.xmppRoomJid)
    checks.check("custom data: is_join_required is named", group.isJoinRequired == Dialog.IsJoinRequired.NotRequired, group.isJoinRequired)

    // usage: create with an api key
    useApiKey(API_KEY)
    val forUser = DialogsApi(baseUrl).createDialog(
        CreateDialogRequest(type = DialogType.Group, name = "New Year party", occupantsIds = OccupantIds.Joined("96831397,96831328")),
        onBehalfOf = 123L,
    )
    // end usage
    checks.check("api key: the dialog acts for user 123", forUser.userId == 123L, forUser.userId)
    checks.check("api key: a group with its name", forUser.type == DialogType.Group && forUser.name == "New Year party", forUser)

    val anything = CreateDialogRequest(type = DialogType.PublicGroup, name = "x")
    // The message list: an API key the server does not know.
    useApiKey("wrong-api-key")
    val unknownKey = checks.expectError("unknown api key", 401) { DialogsApi(baseUrl).createDialog(anything, onBehalfOf = 123L) }
    checks.check("unknown api key: a message list", unknownKey is ErrorResponse.Messages, unknownKey)
    checks.check("unknown api key: the message", unknownKey?.lines() == listOf("Unauthorized: unknown API key"), unknownKey)
    // The field-keyed shape: a session token the server does not know, as the real API answers an expired one.
    useSessionToken("expired-token")
    val unknownToken = checks.expectError("unknown session token", 401) { DialogsApi(baseUrl).createDialog(anything) }
    checks.check("unknown session token: field-keyed", unknownToken is ErrorResponse.Fields, unknownToken)
    checks.check(
        "unknown session token: base message",
        (unknownToken as? ErrorResponse.Fields)?.body?.errors == mapOf("base" to listOf("Required session does not exist")),
        unknownToken,
    )
    // Field-keyed again, with a 422: the API key without On-Behalf-Of.
    useApiKey(API_KEY)
    val needUser = checks.expectError("api key without On-Behalf-Of", 422) { DialogsApi(baseUrl).createDialog(anything) }
    checks.check("api key without On-Behalf-Of: field-keyed", needUser?.lines() == listOf("base: Forbidden. Need user."), needUser)
}

// The same filters and ids in every language's smoke program, so that the wire snapshots compare line by line.
const val WIRE_DELETE_IDS = "5d75626ea28f9a1490cb0f98,5d7562d4a28f9a1694cb0f9b"

fun wire(wireUrl: String, checks: Checks) {
    useSessionToken(SESSION_TOKEN)
    val api = DialogsApi(wireUrl)
    val listed = api.listDialogs(
        updatedAtGt = 1556829805L,
        typeIn = listOf(DialogType.PublicGroup, DialogType.Group),
        nameCtn = "New Year",
        idNe = "5cc9bb58a28f9a406659d777",
        sortDesc = DialogSortField.LastMessageDateSent,
        limit = 3,
        `data` = linkedMapOf("class_name" to "CoolDialog", "category" to "friends"),
    )
    checks.check(
        "wire: the list answer reads as a page",
        listed is DialogListResult.Page && listed.body.totalEntries == 0L && listed.body.items.isEmpty(),
        listed,
    )
    val deleted = api.deleteDialogs(WIRE_DELETE_IDS, force = Flag.On)
    checks.check("wire: the delete answer names both ids", deleted.successfullyDeleted?.ids == WIRE_DELETE_IDS.split(","), deleted)
}

fun main(args: Array<String>) {
    if (args.size !in 1..2) {
        System.err.println("usage: SmokeTest BASE_URL [WIRE_URL] (a running quickblox-dialog-mock, and publish/wire/capture.py)")
        exitProcess(2)
    }
    val checks = Checks()
    installAdapters()
    try {
        run(args[0], checks)
        if (args.size == 2) wire(args[1], checks)
    } catch (e: ClientException) {
        checks.check("no unexpected API error", false, "${e.statusCode} ${(e.response as? ClientError<*>)?.body}")
    }
    println("kotlin: ${checks.passed} passed, ${checks.failed.size} failed")
    exitProcess(if (checks.failed.isEmpty()) 0 else 1)
}
