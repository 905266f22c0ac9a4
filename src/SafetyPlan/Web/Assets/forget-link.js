// A personal link's token must not stay in the address bar, the history or a bookmark: replace it at once.
if (window.location.pathname.indexOf("/l/") === 0) window.history.replaceState(null, "", "/member");
