// SPDX-License-Identifier: ISC
// Validates OSCAL assessment-results documents against NIST's JSON schema
// (tests/oscal/) with ajv and ajv-formats from tests/node_modules. The
// schema's patterns use \p{L} and \p{N}, which only a Unicode regular
// expression compiles.
//
// Usage: node validate-oscal.js SCHEMA [!]DOC...
// A DOC written "!DOC" must fail validation (the negative check). Prints
// one line per document; exits 0 when every document came out as
// expected, 1 when one did not, 77 (automake's SKIP) when ajv is missing.
"use strict";

const fs = require("fs");

let Ajv, addFormats;
try {
  Ajv = require("ajv");
  addFormats = require("ajv-formats");
} catch (e) {
  console.log("SKIP: ajv or ajv-formats is not installed (npm ci in tests/)");
  process.exit(77);
}

const [schemaPath, ...docs] = process.argv.slice(2);
if (!schemaPath || docs.length === 0) {
  console.error("usage: validate-oscal.js SCHEMA [!]DOC...");
  process.exit(2);
}

const ajv = new Ajv({ strict: false, unicodeRegExp: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));

let bad = 0;
for (const arg of docs) {
  const mustFail = arg.startsWith("!");
  const path = mustFail ? arg.slice(1) : arg;
  const valid = validate(JSON.parse(fs.readFileSync(path, "utf8")));
  if (valid === !mustFail) {
    console.log(`ok: ${path} ${valid ? "is valid" : "is invalid, as it must be"}`);
    continue;
  }
  bad++;
  console.log(`FAIL: ${path} ${valid ? "is valid but must not be" : "is not valid:"}`);
  for (const err of (validate.errors || []).slice(0, 20))
    console.log(`  ${err.instancePath || "/"} ${err.message} ${JSON.stringify(err.params)}`);
}
process.exit(bad ? 1 : 0);
