// Command yamlload reads a YAML file with gopkg.in/yaml.v3 into Go values, as a Go program would, and prints
// them as JSON for publish/yaml/compare.py; a value JSON has no form of (a non-string key, a time) is printed
// as {"$non-json": "<type>: <value>"}, and a file it refuses as {"$unreadable": "<error>"}, so that the
// comparison names it rather than this program guessing.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

func plain(v interface{}) interface{} {
	switch v := v.(type) {
	case nil, string, bool, int, int64, uint64, float64:
		return v
	case []interface{}:
		out := make([]interface{}, len(v))
		for i, item := range v {
			out[i] = plain(item)
		}
		return out
	case map[string]interface{}:
		out := make(map[string]interface{}, len(v))
		for key, item := range v {
			out[key] = plain(item)
		}
		return out
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(v))
		for key, item := range v {
			name, ok := key.(string)
			if !ok {
				name = fmt.Sprintf("$non-json %T: %v", key, key)
			}
			out[name] = plain(item)
		}
		return out
	default:
		return map[string]interface{}{"$non-json": fmt.Sprintf("%T: %v", v, v)}
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yamlload FILE.yaml")
		os.Exit(2)
	}
	text, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: reading %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	var value interface{}
	// A file the reader refuses is a finding of the comparison, beside the other files and readers.
	if err := yaml.Unmarshal(text, &value); err != nil {
		value = map[string]interface{}{"$unreadable": err.Error()}
	}
	out, err := json.Marshal(plain(value))
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %s as JSON: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
