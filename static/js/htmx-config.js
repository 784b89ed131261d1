// htmx settings that keep it inside the site's Content Security Policy: no inline <style>, no eval, no
// scripts run from responses, requests only to this site. Loaded (deferred) right after htmx.min.js, so these
// apply before htmx initialises on DOMContentLoaded.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;
htmx.config.selfRequestsOnly = true;
