// The four types that openapi-generator's `kotlin` client (jvm-okhttp4, Moshi) cannot make from the spec, written
// by hand and put in place with `--schema-mappings` (publish/check.sh, docs/usage-kotlin.md):
// - CustomData: the generator makes a data class that extends HashMap and that Moshi fills with `class_name` only,
//   so the custom fields are lost; here they are kept in `fields`.
// - OccupantIds: a oneOf of a list and a string; the generator makes an empty class that sends `{}`.
// - ErrorResponse: a oneOf of the two error shapes; the generator makes `errors: List<String>`, which cannot read
//   the field-keyed shape. Here it holds the generated ErrorMessages or FieldErrors, chosen by what `errors` holds.
// - DialogListResult: a oneOf of a page of dialogs and the `count=1` answer; the generator merges the two into one
//   class whose `items` is the count's object, which cannot read a page. Here it holds the generated DialogList or
//   DialogCount, chosen by what `items` holds.
// And one adapter for the generated integer enums (DialogType, IsJoinRequired): Moshi writes an enum as its `@Json`
// name, a string ("3"), which the API refuses; IntegerEnums writes and reads the number. It must be added to
// the generated Serializer before the first request: `Serializer.moshiBuilder.add(IntegerEnums)`.
// Moshi finds each adapter by name (`<Type>JsonAdapter` beside a type marked `@JsonClass(generateAdapter = true)`),
// as it finds the adapters its code generator writes, so nothing has to be registered with the generated Serializer.
package dialog.adapters

import com.squareup.moshi.JsonAdapter
import com.squareup.moshi.JsonClass
import com.squareup.moshi.JsonDataException
import com.squareup.moshi.JsonReader
import com.squareup.moshi.JsonWriter
import com.squareup.moshi.Moshi
import com.squareup.moshi.Types
import java.lang.reflect.Type
import org.openapitools.client.models.DialogCount
import org.openapitools.client.models.DialogList
import org.openapitools.client.models.ErrorMessages
import org.openapitools.client.models.FieldErrors

/** Custom parameters of a dialog: the custom-objects class and its fields, of any JSON type, kept as they came. */
@JsonClass(generateAdapter = true)
data class CustomData(val className: String, val fields: Map<String, Any?> = emptyMap())

class CustomDataJsonAdapter(moshi: Moshi) : JsonAdapter<CustomData>() {
    private val any = moshi.adapter(Any::class.java)

    override fun fromJson(reader: JsonReader): CustomData? {
        val value = reader.readJsonValue() ?: return null
        val map = value as? Map<*, *> ?: throw JsonDataException("data must be an object at ${reader.path}")
        val className = map["class_name"] as? String
            ?: throw JsonDataException("data needs a string class_name at ${reader.path}")
        return CustomData(className, map.filterKeys { it != "class_name" }.mapKeys { it.key as String })
    }

    override fun toJson(writer: JsonWriter, value: CustomData?) {
        if (value == null) {
            writer.nullValue()
            return
        }
        writer.beginObject()
        writer.name("class_name").value(value.className)
        for ((name, field) in value.fields) {
            writer.name(name)
            any.toJson(writer, field)
        }
        writer.endObject()
    }
}

/** The occupants of a dialog to create: a list of user ids, or the same ids joined by commas. */
@JsonClass(generateAdapter = true)
sealed interface OccupantIds {
    data class List(val ids: kotlin.collections.List<Long>) : OccupantIds
    data class Joined(val ids: String) : OccupantIds
}

class OccupantIdsJsonAdapter(moshi: Moshi) : JsonAdapter<OccupantIds>() {
    private val any = moshi.adapter(Any::class.java)

    override fun fromJson(reader: JsonReader): OccupantIds? = when (reader.peek()) {
        JsonReader.Token.NULL -> reader.nextNull()
        JsonReader.Token.STRING -> OccupantIds.Joined(reader.nextString())
        JsonReader.Token.BEGIN_ARRAY -> {
            val ids = mutableListOf<Long>()
            reader.beginArray()
            while (reader.hasNext()) ids.add(reader.nextLong())
            reader.endArray()
            OccupantIds.List(ids)
        }
        else -> throw JsonDataException("occupants_ids must be a list of ids or a string at ${reader.path}")
    }

    override fun toJson(writer: JsonWriter, value: OccupantIds?) {
        when (value) {
            null -> writer.nullValue()
            is OccupantIds.Joined -> writer.value(value.ids)
            is OccupantIds.List -> any.toJson(writer, value.ids)
        }
    }
}

/** An error body in either shape the API uses. */
@JsonClass(generateAdapter = true)
sealed interface ErrorResponse {
    /** `{"errors":["..."]}` */
    data class Messages(val body: ErrorMessages) : ErrorResponse

    /** `{"errors":{"field":["..."]}}`, with `base` for the request as a whole. */
    data class Fields(val body: FieldErrors) : ErrorResponse
}

class ErrorResponseJsonAdapter(moshi: Moshi) : JsonAdapter<ErrorResponse>() {
    private val messages = moshi.adapter(ErrorMessages::class.java)
    private val fields = moshi.adapter(FieldErrors::class.java)

    override fun fromJson(reader: JsonReader): ErrorResponse? {
        val value = reader.readJsonValue() ?: return null
        val errors = (value as? Map<*, *>)?.get("errors")
        return when (errors) {
            is List<*> -> ErrorResponse.Messages(messages.fromJsonValue(value)!!)
            is Map<*, *> -> ErrorResponse.Fields(fields.fromJsonValue(value)!!)
            else -> throw JsonDataException("an error body needs `errors` as a list or an object at ${reader.path}")
        }
    }

    override fun toJson(writer: JsonWriter, value: ErrorResponse?) {
        when (value) {
            null -> writer.nullValue()
            is ErrorResponse.Messages -> messages.toJson(writer, value.body)
            is ErrorResponse.Fields -> fields.toJson(writer, value.body)
        }
    }
}

/** The answer to list_dialogs: a page of dialogs, or with `count=1` their number. */
@JsonClass(generateAdapter = true)
sealed interface DialogListResult {
    /** `{"total_entries":N,"skip":N,"limit":N,"items":[...]}` */
    data class Page(val body: DialogList) : DialogListResult

    /** `{"items":{"count":N}}` */
    data class Count(val body: DialogCount) : DialogListResult
}

class DialogListResultJsonAdapter(moshi: Moshi) : JsonAdapter<DialogListResult>() {
    private val page = moshi.adapter(DialogList::class.java)
    private val count = moshi.adapter(DialogCount::class.java)

    override fun fromJson(reader: JsonReader): DialogListResult? {
        val value = reader.readJsonValue() ?: return null
        return when ((value as? Map<*, *>)?.get("items")) {
            is List<*> -> DialogListResult.Page(page.fromJsonValue(value)!!)
            is Map<*, *> -> DialogListResult.Count(count.fromJsonValue(value)!!)
            else -> throw JsonDataException("a list answer needs `items` as a list or an object at ${reader.path}")
        }
    }

    override fun toJson(writer: JsonWriter, value: DialogListResult?) {
        when (value) {
            null -> writer.nullValue()
            is DialogListResult.Page -> page.toJson(writer, value.body)
            is DialogListResult.Count -> count.toJson(writer, value.body)
        }
    }
}

/** Reads and writes every generated enum that has an integer `value` (DialogType, IsJoinRequired) as that number. */
object IntegerEnums : JsonAdapter.Factory {
    override fun create(type: Type, annotations: Set<Annotation>, moshi: Moshi): JsonAdapter<*>? {
        val raw = Types.getRawType(type)
        if (!raw.isEnum || annotations.isNotEmpty()) return null
        val getter = runCatching { raw.getMethod("getValue") }.getOrNull() ?: return null
        if (getter.returnType != Int::class.javaPrimitiveType) return null
        val byValue = raw.enumConstants.associateBy { getter.invoke(it) as Int }
        return object : JsonAdapter<Any>() {
            override fun fromJson(reader: JsonReader): Any {
                val path = reader.path
                val number = reader.nextInt()
                return byValue[number] ?: throw JsonDataException("$number is not one of ${byValue.keys} for ${raw.simpleName} at $path")
            }

            override fun toJson(writer: JsonWriter, value: Any?) {
                writer.value((getter.invoke(value) as Int).toLong())
            }
        }.nullSafe()
    }
}
