package dev.awa.web;

/**
 * What every page needs besides its data: whether actions are shown, the CSRF token awa.js sends
 * with them, and who is looking.
 *
 * @param readOnly hide every action button
 * @param csrfToken the token of this dashboard process
 * @param actor the authenticated user (or {@code anonymous})
 */
record PageContext(boolean readOnly, String csrfToken, String actor) {}
