// Validates Kubernetes objects against the schemas kubernetes-models generates from the Kubernetes OpenAPI spec.
// Usage: NODE_PATH=<tools>/node_modules node validate-k8s.js objects.json   (a JSON array of objects)
// Prints one line per invalid object and exits 1 if there is any.
const fs = require("fs");
const objects = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let bad = 0;
for (const o of objects) {
  const group = o.apiVersion.includes("/") ? o.apiVersion : o.apiVersion; // "v1" is the core group
  let models;
  try {
    models = require("kubernetes-models/" + group);
  } catch (e) {
    console.log(`${o.kind} ${o.metadata && o.metadata.name}: no schema for apiVersion ${o.apiVersion}`);
    bad++;
    continue;
  }
  const Model = models[o.kind];
  if (!Model) {
    console.log(`${o.kind} ${o.metadata && o.metadata.name}: no schema for kind ${o.kind} in ${o.apiVersion}`);
    bad++;
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    console.log(`${o.kind} ${o.metadata && o.metadata.name}: ${e.message}`);
    bad++;
  }
}
console.log(`${objects.length} objects, ${bad} invalid`);
process.exit(bad > 0 ? 1 : 0);
