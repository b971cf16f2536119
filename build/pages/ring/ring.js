// The ring window: shows who calls, plays the ringtone, answers or declines through
// window.heartlineRing (src-preload/ring.ts). Plain script: no inline code, so the
// page runs under script-src 'self'.
'use strict';

(() => {
  const ring = window.heartlineRing;
  const tone = document.getElementById('ringtone');
  const buttons = ['answer', 'answer-audio', 'decline'].map((id) => document.getElementById(id));
  let callId = null;

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function done(action) {
    if (!callId) return;
    const id = callId;
    callId = null;
    buttons.forEach((button) => (button.disabled = true));
    tone.pause();
    action(id).catch(() => undefined);
  }

  ring.onShow((payload) => {
    callId = payload.callId;
    document.documentElement.lang = payload.language;
    document.title = `${payload.labels.title} — ${payload.partnerName}`;
    setText('title', payload.labels.title);
    setText('name', payload.partnerName);
    setText('answer', payload.labels.answer);
    setText('answer-audio', payload.labels.answerAudioOnly);
    setText('decline', payload.labels.decline);
    // A voice call has nothing to turn off: "answer audio only" is the same as answer.
    document.getElementById('answer-audio').hidden = payload.callType === 'voice';
    buttons.forEach((button) => (button.disabled = false));
    tone.currentTime = 0;
    tone.play().catch(() => undefined);
  });

  document.getElementById('answer').addEventListener('click', () => done((id) => ring.answer(id, false)));
  document.getElementById('answer-audio').addEventListener('click', () => done((id) => ring.answer(id, true)));
  document.getElementById('decline').addEventListener('click', () => done((id) => ring.decline(id)));
  // No key declines: on Wayland this window can get the keyboard focus without being
  // aimed at (showInactive focuses there), and a stray Escape must not end the call.
  // Escape only silences the ringtone; the buttons decline or answer (by click, or by
  // Enter/Space once the user has moved the focus onto one).
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && callId) tone.pause();
  });
})();
