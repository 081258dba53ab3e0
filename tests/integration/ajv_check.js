// Validates YAML files against the bbx JSON Schema with Ajv (draft 2020-12), the same
// validator ajv-cli uses, in one process. Usage:
//   node ajv_check.js NODE_MODULES_DIR SCHEMA FILE...
// Prints one line per file: "valid PATH", "invalid PATH: first error" or "unparsable PATH: why".
const path = require('path');
const fs = require('fs');
const mods = path.resolve(process.argv[2]);
const Ajv2020 = require(path.join(mods, 'ajv/dist/2020')).default;
const addFormats = require(path.join(mods, 'ajv-formats'));
const yaml = require(path.join(mods, 'js-yaml'));
const ajv = new Ajv2020({strict: false, allErrors: false});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));
for (const file of process.argv.slice(4)) {
  let doc;
  try {
    doc = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`unparsable ${file}: ${String(e.message).split('\n')[0]}`);
    continue;
  }
  if (validate(doc === undefined ? null : doc)) console.log(`valid ${file}`);
  else console.log(`invalid ${file}: ${validate.errors[0].instancePath} ${validate.errors[0].message}`);
}
