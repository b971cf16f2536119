// The screen-share picker: screens and windows with thumbnails; the choice goes back
// to main through window.heartlinePicker (src-preload/picker.ts).
'use strict';

(() => {
  const picker = window.heartlinePicker;
  const list = document.getElementById('sources');
  const share = document.getElementById('share');
  let chosen = null;
  let answered = false;

  function answer(id) {
    if (answered) return;
    answered = true;
    picker.choose(id).catch(() => undefined);
  }

  function select(item, id) {
    chosen = id;
    for (const other of list.children) other.setAttribute('aria-selected', String(other === item));
    share.disabled = false;
  }

  picker.onSources(({ sources, labels }) => {
    document.getElementById('title').textContent = labels.title;
    share.textContent = labels.share;
    document.getElementById('cancel').textContent = labels.cancel;
    list.replaceChildren();
    for (const source of sources) {
      const item = document.createElement('li');
      item.className = 'source';
      item.tabIndex = 0;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', 'false');
      const image = document.createElement('img');
      image.alt = '';
      image.src = source.thumbnail;
      const name = document.createElement('span');
      name.textContent = source.name;
      item.append(image, name);
      item.addEventListener('click', () => select(item, source.id));
      item.addEventListener('dblclick', () => answer(source.id));
      item.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') answer(source.id);
        if (event.key === ' ') select(item, source.id);
      });
      list.append(item);
    }
    list.firstElementChild?.focus();
  });

  share.addEventListener('click', () => chosen && answer(chosen));
  document.getElementById('cancel').addEventListener('click', () => answer(null));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') answer(null);
  });
})();
