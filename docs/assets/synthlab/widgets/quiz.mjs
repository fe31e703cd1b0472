/* A quiz (form.sl-quiz): graded by synthlearn.quiz.grade in the worker.
 * State on data-state: static (no JS) -> ready -> loading (a fresh question) | grading -> answered;
 * data-correct after an answer. The build-time question stays until "New question" is pressed;
 * Python starts on the reader's first touch of the quiz (or idle with the quiz on screen). */
import { runtime } from "../core/runtime-instance.mjs";
import { renderTable, renderFigure } from "../core/dom.mjs";
import { onIntent } from "../core/intent.mjs";

function showQuestion(form, question) {
  form.querySelector(".sl-quiz__question").textContent = question.question;
  form.querySelector(".sl-quiz__extra").replaceChildren(...(question.tables || []).map(renderTable),
    ...(question.figures || []).map(renderFigure));
  form.querySelectorAll(".sl-quiz__option label").forEach((label, i) => { label.textContent = question.options[i]; });
  form.querySelectorAll("input[type=radio]").forEach((r) => { r.checked = false; });
  form.querySelector(".sl-quiz__explanation-text").textContent = question.explanation;
}

export function bindQuiz(form) {
  if (form.dataset.bound) return;
  form.dataset.bound = "1";
  let question = JSON.parse(form.dataset.question);
  const feedback = form.querySelector(".sl-quiz__feedback");
  const explanation = form.querySelector(".sl-quiz__explanation");
  const newButton = form.querySelector(".sl-quiz__new");
  form.dataset.state = "ready";
  onIntent(form, () => runtime.warm(["numpy"]));

  async function fresh() {
    form.dataset.state = "loading";
    feedback.textContent = "Making a question with fresh numbers…";
    try {
      const seed = Math.floor(Math.random() * 2 ** 31);
      question = { ...(await runtime.call(form.dataset.generator, { seed })), id: question.id, generator: question.generator };
      showQuestion(form, question);
      explanation.hidden = true;
      form.classList.remove("sl-quiz--correct", "sl-quiz--wrong");
      feedback.textContent = "";
      form.dataset.state = "ready";
    } catch (err) {
      feedback.textContent = "Could not make a new question: " + err.message;
      form.dataset.state = "ready";
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector("input[type=radio]:checked");
    if (!picked) { feedback.textContent = "Choose an answer first."; return; }
    form.dataset.state = "grading";
    feedback.textContent = runtime.ready ? "Checking…" : "Checking (Python is starting in your browser)…";
    try {
      const verdict = await runtime.call("synthlearn.quiz.grade", { question, choice: Number(picked.value) });
      feedback.textContent = verdict.feedback;
      form.classList.toggle("sl-quiz--correct", verdict.correct);
      form.classList.toggle("sl-quiz--wrong", !verdict.correct);
      explanation.hidden = false;
      form.dataset.state = "answered";
      form.dataset.correct = String(verdict.correct);
      document.dispatchEvent(new CustomEvent("synthlab:answered", { detail: form }));
    } catch (err) {
      feedback.textContent = "Could not check the answer: " + err.message;
      form.dataset.state = "ready";
    }
  });
  if (newButton) {
    newButton.hidden = false;
    newButton.addEventListener("click", fresh);
  }
}
