package deploycheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	yaml3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// object is the part of a Kubernetes object that the rules read, for every
// kind the manifests use; the schemas check the rest. node keeps the
// document as written, comments included.
type object struct {
	file string
	node *yaml3.Node

	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   meta   `json:"metadata"`
	Spec       spec   `json:"spec"`

	// ConfigMap and Secret.
	Data       map[string]string `json:"data"`
	StringData map[string]string `json:"stringData"`
}

type meta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// spec merges the specs of the kinds in use; their fields do not collide.
type spec struct {
	// Knative Service, Deployment, Job.
	Template struct {
		Metadata meta    `json:"metadata"`
		Spec     podSpec `json:"spec"`
	} `json:"template"`

	// PingSource.
	Schedule string `json:"schedule"`
	Sink     struct {
		Ref *struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Name       string `json:"name"`
		} `json:"ref"`
		URI string `json:"uri"`
	} `json:"sink"`

	// KEDA ScaledObject and TriggerAuthentication.
	ScaleTargetRef struct {
		Name string `json:"name"`
	} `json:"scaleTargetRef"`
	MinReplicaCount *int      `json:"minReplicaCount"`
	MaxReplicaCount *int      `json:"maxReplicaCount"`
	Triggers        []trigger `json:"triggers"`
	SecretTargetRef []struct {
		Parameter string `json:"parameter"`
		Name      string `json:"name"`
		Key       string `json:"key"`
	} `json:"secretTargetRef"`
}

type podSpec struct {
	TerminationGracePeriodSeconds *int64      `json:"terminationGracePeriodSeconds"`
	Containers                    []container `json:"containers"`
}

type container struct {
	Name  string `json:"name"`
	Image string `json:"image"`
	Ports []struct {
		Name          string `json:"name"`
		ContainerPort int    `json:"containerPort"`
	} `json:"ports"`
	Env     []envVar `json:"env"`
	EnvFrom []struct {
		ConfigMapRef *ref `json:"configMapRef"`
		SecretRef    *ref `json:"secretRef"`
	} `json:"envFrom"`
	ReadinessProbe *probe `json:"readinessProbe"`
	LivenessProbe  *probe `json:"livenessProbe"`
}

type ref struct {
	Name string `json:"name"`
}

type envVar struct {
	Name      string `json:"name"`
	Value     string `json:"value"`
	ValueFrom *struct {
		SecretKeyRef    *keyRef `json:"secretKeyRef"`
		ConfigMapKeyRef *keyRef `json:"configMapKeyRef"`
	} `json:"valueFrom"`
}

type keyRef struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

type probe struct {
	HTTPGet *struct {
		Path string `json:"path"`
	} `json:"httpGet"`
	GRPC *struct {
		Port int `json:"port"`
	} `json:"grpc"`
}

type trigger struct {
	Type              string            `json:"type"`
	Metadata          map[string]string `json:"metadata"`
	AuthenticationRef *ref              `json:"authenticationRef"`
}

// component is the Chis component an object belongs to, by its label.
func (o *object) component() string {
	return o.Metadata.Labels["app.kubernetes.io/component"]
}

// is reports whether o is of the given kind in the given API group.
func (o *object) is(group, kind string) bool {
	g, _, found := strings.Cut(o.APIVersion, "/")
	if !found {
		g = ""
	}

	return g == group && o.Kind == kind
}

// parseObjects reads every document of a YAML file.
func parseObjects(file string, data []byte) ([]*object, error) {
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	var out []*object

	for {
		var doc yaml3.Node
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}

		o, err := decodeObject(file, &doc)
		if err != nil {
			return nil, err
		}

		if o != nil {
			out = append(out, o)
		}
	}
}

func decodeObject(file string, doc *yaml3.Node) (*object, error) {
	if len(doc.Content) == 0 {
		return nil, nil
	}

	raw, err := yaml3.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", file, err)
	}

	o := &object{file: file, node: doc.Content[0]}
	if err := yaml.Unmarshal(raw, o); err != nil {
		return nil, fmt.Errorf("decode %s: %w", file, err)
	}

	return o, nil
}

// keyComment returns the comment written above the key at path in node, a
// mapping; "" when the key is missing or has no comment.
func keyComment(node *yaml3.Node, path ...string) string {
	for i, key := range path {
		k, v := lookup(node, key)
		if k == nil {
			return ""
		}

		if i == len(path)-1 {
			return k.HeadComment
		}

		node = v
	}

	return ""
}

// lookup returns the key and value nodes of key in a mapping node.
func lookup(node *yaml3.Node, key string) (*yaml3.Node, *yaml3.Node) {
	if node == nil || node.Kind != yaml3.MappingNode {
		return nil, nil
	}

	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			return node.Content[i], node.Content[i+1]
		}
	}

	return nil, nil
}
