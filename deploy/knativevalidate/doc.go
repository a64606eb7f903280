// Package knativevalidate runs Knative's own admission checks (SetDefaults,
// then Validate, as the webhooks of Knative Serving and Eventing do when an
// object is created) on the Services and the PingSource in knative/, with
// the defaults of a fresh installation.
//
// It is a module of its own so that Knative's Go packages, and the Kubernetes
// ones they bring, stay out of Chis's dependencies. `make validate-knative`
// runs it; the JSON-schema checks in deploy/deploycheck run in `make test`.
package knativevalidate
