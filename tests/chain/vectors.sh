#!/bin/sh
# vectors.sh: check tests/chain/vectors.json with lib/chain. jq turns the
# JSON into one line per vector; test_vectors checks each and prints TAP.
set -e
json=${top_srcdir:-.}/tests/chain/vectors.json
bin=${top_builddir:-.}/tests/chain/test_vectors
jq -r '
  (.merkle.leaves[] | "leaf \(if .data == "" then "-" else .data end) \(.leaf_hash)"),
  (.merkle.roots[] | "root \(.size) \(.root)"),
  (.merkle.inclusion[] | "incl \(.index) \(.size) \(.valid) \(if (.proof|length) == 0 then "-" else (.proof|join("")) end)"),
  (.merkle.consistency[] | "cons \(.first) \(.second) \(.valid) \(if (.proof|length) == 0 then "-" else (.proof|join("")) end)"),
  (.ratchet[] | "ratchet \(.epoch) \(.seed) \(.public_key)"),
  "origin \(.chain.origin)",
  "rootpk \(.chain.root_public_key)",
  "vkey \(.chain.root_vkey)",
  "logid \(.chain.log_id)",
  "cert \(.chain.certificate | @base64)",
  (.chain.records[] | "record \(.seq) \(.epoch) \(.time_us) \(.record) \(.leaf_hash)"),
  (.chain.checkpoints[] | "checkpoint \(.size) \(.root) \(.note | @base64)")
' "$json" | "$bin" check
