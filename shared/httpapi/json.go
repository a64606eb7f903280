package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"

	"github.com/chis-dev/chis/shared/message"
)

// maxJSONBody bounds request bodies of the dashboard API.
const maxJSONBody = 64 << 10

// validate checks request structs by their `validate` tags; field names in
// errors are the JSON names the client sent.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	_ = v.RegisterValidation("text", func(fl validator.FieldLevel) bool {
		return message.CheckText(fl.Field().String()) == nil
	})
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}

		return name
	})

	return v
}

// readBody reads at most limit bytes of the body: more is a 413, bytes that
// are not UTF-8 a 400.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))

	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}

	if err != nil {
		return nil, badRequest("could not read the request body")
	}

	if !utf8.Valid(body) {
		return nil, badRequest("the request body is not valid UTF-8")
	}

	return body, nil
}

// decode reads a JSON object into dst and checks its tags. An empty body
// counts as {} when emptyOK, for calls whose fields are all optional.
func decode(w http.ResponseWriter, r *http.Request, dst any, emptyOK bool) error {
	body, err := readBody(w, r, maxJSONBody)
	if err != nil {
		return err
	}

	if len(strings.TrimSpace(string(body))) == 0 && emptyOK {
		body = []byte("{}")
	}

	if err := unmarshal(body, dst); err != nil {
		return err
	}

	// Trim first, so that "   " fails a required check instead of being
	// stored as an empty name.
	if n, ok := dst.(interface{ normalize() }); ok {
		n.normalize()
	}

	return check(dst)
}

func unmarshal(body []byte, dst any) error {
	err := json.Unmarshal(body, dst)

	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return invalid(FieldError{Field: typeErr.Field, Message: "has the wrong type"})
	}

	if errors.As(err, &typeErr) {
		return newError(http.StatusUnprocessableEntity, "validation_failed",
			"the request body must be a JSON object")
	}

	if err != nil {
		return badRequest("the request body is not valid JSON")
	}

	return nil
}

func check(dst any) error {
	err := validate.Struct(dst)

	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}

	details := make([]FieldError, 0, len(verrs))
	for _, fe := range verrs {
		details = append(details, FieldError{Field: fe.Field(), Message: describe(fe)})
	}

	return invalid(details...)
}

func describe(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be an e-mail address"
	case "min":
		return "must be at least " + fe.Param() + " characters"
	case "max":
		return "must be at most " + fe.Param() + " characters"
	case "oneof":
		return "must be one of: " + fe.Param()
	case "text":
		return message.ErrControlCharacters.Error()
	}

	return "is not valid"
}

// writeJSON answers with v as JSON. HTML escaping is off: this is an API,
// and escaping would respell tenants' payloads.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError answers with e.
func writeError(w http.ResponseWriter, e *Error) {
	if e.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}

	writeJSON(w, e.Status, e)
}
