/**
 * The studio page: the lecture's sections computed live, and the MNIST case study trained in a
 * Web Worker. Bundled by esbuild into /static/js/app/page.js.
 */
import { lectureSections } from './lecture.js';
import { caseStudy } from './mnist.js';

window.addEventListener('error', (e) => {
  document.body.dataset.error = e.message;
});
caseStudy();
lectureSections()
  .then(() => {
    document.body.dataset.ready = 'true';
  })
  .catch((e: unknown) => {
    document.body.dataset.error = (e as Error).message;
  });
