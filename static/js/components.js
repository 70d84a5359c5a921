// GOV.UK Frontend's scripts, for the components that have one: the service navigation's "Menu" button, which
// folds the header's links on a small screen. A module: a browser without modules (or without JavaScript) keeps
// every link in view, which is how the page is built.
import { ServiceNavigation, createAll } from "../vendor/govuk-frontend-6.3.0.min.js";

document.body.classList.add("govuk-frontend-supported");
createAll(ServiceNavigation);
