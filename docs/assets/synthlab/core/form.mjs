/* A widget's controls (the partial overrides/partials/synthlab/control.html): each field
 * carries data-type (checkbox | select | range | number) and the name of its parameter. */

/** The form's values as the Python function's keyword parameters (an empty number is null). */
export function readParams(form) {
  const params = {};
  for (const field of form.querySelectorAll("[data-type]")) {
    const type = field.dataset.type;
    if (type === "checkbox") params[field.name] = field.checked;
    else if (type === "select") params[field.name] = field.value;
    else params[field.name] = field.value === "" ? null : Number(field.value);
  }
  return params;
}

/** Show a slider's value in its <output for=…> as it moves. */
export function echoValue(form, event) {
  const out = form.querySelector(`output[for="${event.target.id}"]`);
  if (out) out.textContent = event.target.value;
}
