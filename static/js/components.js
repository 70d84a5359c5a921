// GOV.UK Frontend's scripts, for the components that have one: the service navigation's "Menu" button, which
// folds the header's links on a small screen. Only that component's script is loaded (8 KB, not the whole
// library's 47 KB). A module: a browser without modules (or without JavaScript) keeps every link in view, which is
// how the page is built.
import { ServiceNavigation } from "../vendor/govuk-frontend-service-navigation-6.3.0.js";

document.body.classList.add("govuk-frontend-supported");
for (const root of document.querySelectorAll('[data-module="govuk-service-navigation"]')) {
  try {
    new ServiceNavigation(root);
  } catch (error) {
    // As GOV.UK Frontend's createAll: a component that cannot start leaves its links in view, and the page works.
    console.log(error);
  }
}
