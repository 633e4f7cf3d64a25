// Command smoke is the smoke test of the Go client that oapi-codegen generates from dist/dialog.yaml into
// publish/go/dialog (publish/check.sh).
//
// Run against the mock server started with `--token smoke-session-token:555 --api-key smoke-api-key`, it creates
// dialogs with both auth schemes, reads the 201 back into the generated Dialog with the custom `data` fields
// intact, and decodes both error shapes into the generated ErrorResponse. docs/usage-go.md quotes the marked parts
// verbatim (check.sh checks that). Given a second URL (publish/wire/capture.py), it also lists dialogs with
// filters and deletes two dialogs there, so that check.sh can compare what went on the wire with
// publish/snapshots/wire-go.txt.
package main

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/securityprovider"

	"github.com/quickblox-dialog/publish/go/dialog"
)

const (
	sessionToken = "smoke-session-token"
	sessionUser  = int64(555)
	apiKey       = "smoke-api-key"
)

type checks struct {
	passed int
	failed []string
}

func (c *checks) check(name string, ok bool, detail any) {
	if ok {
		c.passed++
		fmt.Printf("ok    %s\n", name)
		return
	}
	c.failed = append(c.failed, name)
	fmt.Printf("FAIL  %s: %v\n", name, detail)
}

// usage: session token

// sessionTokenClient sends the user's session token in QB-Token.
func sessionTokenClient(baseURL, token string) (*dialog.ClientWithResponses, error) {
	auth, err := securityprovider.NewSecurityProviderApiKey("header", "QB-Token", token)
	if err != nil {
		return nil, err
	}
	return dialog.NewClientWithResponses(baseURL, dialog.WithRequestEditorFn(auth.Intercept))
}

// end usage

// usage: api key

// apiKeyClient sends `Authorization: ApiKey <key>`; each call names its user with On-Behalf-Of.
func apiKeyClient(baseURL, key string) (*dialog.ClientWithResponses, error) {
	auth, err := securityprovider.NewSecurityProviderApiKey("header", "Authorization", "ApiKey "+key)
	if err != nil {
		return nil, err
	}
	return dialog.NewClientWithResponses(baseURL, dialog.WithRequestEditorFn(auth.Intercept))
}

// end usage

// usage: error shapes

// errorLines reads an error body in either shape; `base` is the request as a whole.
func errorLines(body *dialog.ErrorResponse) ([]string, error) {
	if body == nil {
		return nil, fmt.Errorf("no error body")
	}
	if fields, err := body.AsFieldErrors(); err == nil {
		var lines []string
		for field, messages := range fields.Errors {
			for _, m := range messages {
				lines = append(lines, field+": "+m)
			}
		}
		return lines, nil
	}
	messages, err := body.AsErrorMessages()
	if err != nil {
		return nil, fmt.Errorf("an error body in neither shape: %w", err)
	}
	return messages.Errors, nil
}

// end usage

func occupants(joined string) *dialog.OccupantIds {
	var ids dialog.OccupantIds
	if err := ids.FromOccupantIds1(joined); err != nil {
		panic(err)
	}
	return &ids
}

func run(baseURL string, c *checks) error {
	ctx := context.Background()

	// usage: create with a session token
	session, err := sessionTokenClient(baseURL, sessionToken)
	if err != nil {
		return err
	}
	var opponent dialog.OccupantIds
	if err := opponent.FromOccupantIds1("102433721"); err != nil {
		return err
	}
	created, err := session.CreateDialogWithResponse(ctx, nil, dialog.CreateDialogRequest{Type: dialog.Private, OccupantsIds: &opponent})
	if err != nil {
		return err
	}
	private := created.JSON201 // nil unless the answer was 201
	// end usage
	c.check("session token: 201", private != nil, string(created.Body))
	if private != nil {
		c.check("session token: a private dialog", private.Type == dialog.Private, private.Type)
		c.check("session token: no room for a private dialog", private.XmppRoomJid == nil, private.XmppRoomJid)
		c.check("session token: the creator and the opponent are occupants", reflect.DeepEqual(private.OccupantsIds, []int64{sessionUser, 102433721}), private.OccupantsIds)
		c.check("session token: 24 hex digit id", regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(private.UnderscoreId), private.UnderscoreId)
	}

	// usage: custom data
	var list dialog.OccupantIds
	if err := list.FromOccupantIds0([]int64{96754523, 96830631}); err != nil {
		return err
	}
	name := "Chat with Bob, Sam, Garry"
	score := dialog.CustomData{ClassName: "ScoreTable"}
	score.Set("game_mode_name", "rainbow dash")
	score.Set("progress", 56)
	withData, err := session.CreateDialogWithResponse(ctx, nil, dialog.CreateDialogRequest{
		Type: dialog.Group, Name: &name, OccupantsIds: &list, Data: &score,
	})
	if err != nil {
		return err
	}
	progress, _ := withData.JSON201.Data.Get("progress") // float64(56): encoding/json reads JSON numbers as float64
	// end usage
	group := withData.JSON201
	c.check("custom data: a group", group.Type == dialog.Group, group.Type)
	c.check("custom data: occupants sent as a list", reflect.DeepEqual(group.OccupantsIds, []int64{sessionUser, 96754523, 96830631}), group.OccupantsIds)
	c.check("custom data: class name", group.Data != nil && group.Data.ClassName == "ScoreTable", group.Data)
	mode, _ := group.Data.Get("game_mode_name")
	c.check("custom data: a string field kept", mode == "rainbow dash", group.Data)
	c.check("custom data: a number field kept", progress == float64(56), progress)
	c.check("custom data: a group has a room", group.XmppRoomJid != nil && strings.HasSuffix(*group.XmppRoomJid, "@muc.chat.quickblox.com"), group.XmppRoomJid)
	// The field is a plain *int32 (the spec's x-go-type), so it compares with the number of the request's named constant.
	c.check("custom data: is_join_required is 0", group.IsJoinRequired != nil && *group.IsJoinRequired == int32(dialog.NotRequired), group.IsJoinRequired)

	// usage: create with an api key
	server, err := apiKeyClient(baseURL, apiKey)
	if err != nil {
		return err
	}
	partyName, user := "New Year party", int64(123)
	forUser, err := server.CreateDialogWithResponse(ctx, &dialog.CreateDialogParams{OnBehalfOf: &user},
		dialog.CreateDialogRequest{Type: dialog.Group, Name: &partyName, OccupantsIds: occupants("96831397,96831328")})
	if err != nil {
		return err
	}
	// end usage
	c.check("api key: 201", forUser.JSON201 != nil, string(forUser.Body))
	if forUser.JSON201 != nil {
		c.check("api key: the dialog acts for user 123", forUser.JSON201.UserId == 123, forUser.JSON201.UserId)
		c.check("api key: a group with its name", forUser.JSON201.Type == dialog.Group && forUser.JSON201.Name == partyName, forUser.JSON201)
	}

	x := "x"
	anything := dialog.CreateDialogRequest{Type: dialog.PublicGroup, Name: &x}
	// The message list: an API key the server does not know.
	wrongKey, err := apiKeyClient(baseURL, "wrong-api-key")
	if err != nil {
		return err
	}
	unknownKey, err := wrongKey.CreateDialogWithResponse(ctx, &dialog.CreateDialogParams{OnBehalfOf: &user}, anything)
	if err != nil {
		return err
	}
	c.check("unknown api key: 401", unknownKey.StatusCode() == 401 && unknownKey.JSON401 != nil, string(unknownKey.Body))
	if unknownKey.JSON401 != nil {
		messages, err := unknownKey.JSON401.AsErrorMessages()
		c.check("unknown api key: a message list", err == nil && reflect.DeepEqual(messages.Errors, []string{"Unauthorized: unknown API key"}), err)
		_, err = unknownKey.JSON401.AsFieldErrors()
		c.check("unknown api key: not field-keyed", err != nil, "read as FieldErrors")
	}
	// The field-keyed shape: a session token the server does not know, as the real API answers an expired one.
	expired, err := sessionTokenClient(baseURL, "expired-token")
	if err != nil {
		return err
	}
	unknownToken, err := expired.CreateDialogWithResponse(ctx, nil, anything)
	if err != nil {
		return err
	}
	c.check("unknown session token: 401", unknownToken.StatusCode() == 401 && unknownToken.JSON401 != nil, string(unknownToken.Body))
	if unknownToken.JSON401 != nil {
		fields, err := unknownToken.JSON401.AsFieldErrors()
		c.check("unknown session token: field-keyed", err == nil && reflect.DeepEqual(fields.Errors, map[string][]string{"base": {"Required session does not exist"}}), err)
		_, err = unknownToken.JSON401.AsErrorMessages()
		c.check("unknown session token: not a message list", err != nil, "read as ErrorMessages")
	}
	// Field-keyed again, with a 422: the API key without On-Behalf-Of.
	needUser, err := server.CreateDialogWithResponse(ctx, nil, anything)
	if err != nil {
		return err
	}
	c.check("api key without On-Behalf-Of: 422", needUser.StatusCode() == 422, string(needUser.Body))
	lines, err := errorLines(needUser.JSON422)
	c.check("api key without On-Behalf-Of: field-keyed", err == nil && reflect.DeepEqual(lines, []string{"base: Forbidden. Need user."}), lines)
	lines, err = errorLines(unknownKey.JSON401)
	c.check("401 as lines", err == nil && reflect.DeepEqual(lines, []string{"Unauthorized: unknown API key"}), lines)
	return nil
}

// wireDeleteIds are the ids every language's smoke program deletes, so that the wire snapshots compare line by line.
const wireDeleteIds = "5d75626ea28f9a1490cb0f98,5d7562d4a28f9a1694cb0f9b"

// wire lists dialogs with the filters and deletes two dialogs at the capture server, and reads both answers.
func wire(wireURL string, c *checks) error {
	ctx := context.Background()
	client, err := sessionTokenClient(wireURL, sessionToken)
	if err != nil {
		return err
	}
	updatedAfter, limit, nameContains := dialog.UnixTime(1556829805), int32(3), "New Year"
	notID, sortDesc := dialog.DialogId("5cc9bb58a28f9a406659d777"), dialog.LastMessageDateSent
	types := []dialog.DialogType{dialog.PublicGroup, dialog.Group}
	data := dialog.CustomDataFilter{"class_name": "CoolDialog", "category": "friends"}
	listed, err := client.ListDialogsWithResponse(ctx, &dialog.ListDialogsParams{
		UpdatedAtGt: &updatedAfter, TypeIn: &types, NameCtn: &nameContains, UnderscoreIdNe: &notID,
		SortDesc: &sortDesc, Limit: &limit, Data: &data,
	})
	if err != nil {
		return err
	}
	c.check("wire: list 200", listed.JSON200 != nil, string(listed.Body))
	if listed.JSON200 != nil {
		page, err := listed.JSON200.AsDialogList()
		c.check("wire: the list answer reads as a DialogList", err == nil && page.TotalEntries == 0 && len(page.Items) == 0, err)
	}
	force := dialog.On
	deleted, err := client.DeleteDialogsWithResponse(ctx, wireDeleteIds, &dialog.DeleteDialogsParams{Force: &force})
	if err != nil {
		return err
	}
	ok := deleted.JSON200 != nil && deleted.JSON200.SuccessfullyDeleted != nil &&
		reflect.DeepEqual(deleted.JSON200.SuccessfullyDeleted.Ids, strings.Split(wireDeleteIds, ","))
	c.check("wire: the delete answer names both ids", ok, string(deleted.Body))
	return nil
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: smoke BASE_URL [WIRE_URL] (a running quickblox-dialog-mock, and publish/wire/capture.py)")
		os.Exit(2)
	}
	c := &checks{}
	if err := run(os.Args[1], c); err != nil {
		c.check("no unexpected error", false, err)
	}
	if len(os.Args) == 3 {
		if err := wire(os.Args[2], c); err != nil {
			c.check("wire: no unexpected error", false, err)
		}
	}
	fmt.Printf("go: %d passed, %d failed\n", c.passed, len(c.failed))
	if len(c.failed) > 0 {
		os.Exit(1)
	}
}
