// Read a fake form's controls with the runtime's own readParams (docs/assets/synthlab/core/form.mjs)
// and print the parameters as JSON. Used by tests/unit/test_js_modules.py.
// Usage: node read_params.mjs FORM_MODULE_URL < fields.json   (fields: [{type, name, value, checked}])
const { readParams } = await import(process.argv[2]);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const fields = JSON.parse(Buffer.concat(chunks).toString("utf8")).map((f) => ({ ...f, dataset: { type: f.type } }));
const form = { querySelectorAll: (selector) => (selector === "[data-type]" ? fields : []) };
process.stdout.write(JSON.stringify(readParams(form)));
