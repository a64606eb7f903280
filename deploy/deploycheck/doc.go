// Package deploycheck holds the tests that check Chis's deployment files
// against the platforms they are written for, so that a broken manifest fails
// `make test` instead of a rollout:
//
//   - every Kubernetes object in knative/ and openfaas/ is validated, in strict
//     mode, against JSON schemas made at test time from the CRDs (Knative
//     Serving and Eventing, KEDA) and the OpenAPI documents (Kubernetes) of
//     pinned releases;
//   - the project's rules that no schema can say: the Delivery port named h2c,
//     no variable that Knative reserves, min-scale at most max-scale and a
//     stated reason for any kept-warm service, the worker's grace period
//     longer than one delivery attempt, the PingSource schedule parsed as
//     Knative Eventing parses it and firing every 5 s, and the configuration
//     each binary would read;
//   - compose.yaml, loaded with the Compose specification's Go library, and
//     openfaas/stack.yml.
//
// The pinned releases are Go modules, fetched with `go mod download` into the
// module cache (once per machine; CI reaches the module proxy), so nothing
// generated is kept in the repository. A test fails, rather than skips, when
// they cannot be fetched. The package has no code outside its tests.
package deploycheck
