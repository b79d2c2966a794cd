// Reads a text/event-stream response as the HTML standard's EventSource would, event by event. The page reads its
// job's events through fetch rather than EventSource because EventSource cannot send a header, and the caller's
// key belongs in a header, not in the URL.

/**
 * Calls {@code onEvent({type, data, id})} for each event of the response's body until the stream ends (resolves)
 * or breaks (rejects). Comments (the server's heartbeats) and retry fields are skipped.
 */
export async function readEvents(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let event = blank();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    // a chunk may end between the CR and LF of one line break: hold a trailing CR back for the next chunk
    const text = pending + value;
    const held = text.endsWith('\r') ? 1 : 0;
    const lines = text.slice(0, text.length - held).split(/\r\n|\r|\n/);
    pending = lines.pop() + (held ? '\r' : '');
    for (const line of lines) {
      event = take(line, event, onEvent);
    }
  }
}

function take(line, event, onEvent) {
  if (line === '') {
    if (event.data.length > 0) {
      onEvent({ type: event.type, data: event.data.join('\n'), id: event.id });
    }
    return blank();
  }
  if (line.startsWith(':')) {
    return event;
  }
  const colon = line.indexOf(':');
  const field = colon < 0 ? line : line.slice(0, colon);
  const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
  if (field === 'data') {
    event.data.push(value);
  } else if (field === 'event') {
    event.type = value;
  } else if (field === 'id' && !value.includes('\0')) {
    event.id = value;
  }
  return event;
}

function blank() {
  return { type: 'message', data: [], id: null };
}
