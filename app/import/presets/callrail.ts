import { normalizeDateTime, normalizeDuration } from './normalize';
import { cell, definePreset, firstOf, PresetRowIssue } from './preset';

// CallRail call log (Calls → Export, or the Calls API fields as CSV columns).
// "Answered" is a yes/no column; a missed call, an abandoned call and a call
// sent to voicemail are all missed. Without an id column the call id is built
// from the start time and both numbers, which is stable across re-exports.

const ANSWERED = new Set(['true', 'yes', 'y', '1', 'answered', 'answered call', 'completed']);
const MISSED = new Set(['false', 'no', 'n', '0', 'missed', 'missed call', 'voicemail', 'abandoned', 'abandoned call', 'no answer', 'busy']);

export const callrail = definePreset({
  name: 'callrail',
  label: 'CallRail calls export',
  kind: 'calls',
  docs: 'https://apidocs.callrail.com/#calls',
  encodings: ['utf-8'],
  delimiters: [','],
  fields: [
    { key: 'start', headers: ['Start Time', 'start_time', 'Date', 'Call Start Time'], required: true, feeds: ['started_at', 'call_id'] },
    { key: 'caller', headers: ['Customer Phone Number', 'customer_phone_number', 'Phone Number', 'Caller Number'], required: true, feeds: ['caller_phone', 'call_id'] },
    { key: 'tracking', headers: ['Tracking Phone Number', 'tracking_phone_number', 'Tracking Number'], required: true, feeds: ['tracking_number', 'call_id'] },
    { key: 'id', headers: ['Call ID', 'id', 'Id'], feeds: ['call_id'] },
    { key: 'answered', headers: ['Answered', 'answered', 'Call Status', 'Status'], feeds: ['status'] },
    { key: 'duration', headers: ['Duration (seconds)', 'duration', 'Duration'], feeds: ['duration_sec'] },
    { key: 'agent', headers: ['Agent Name', 'Agent', 'agent_email', 'Agent Email'], feeds: ['manager'] },
    { key: 'city', headers: ['Customer City', 'customer_city', 'City'], feeds: ['region'] },
  ],
  unmapped: ['Source, Medium, Campaign, Landing Page, Keywords (CallRail\'s own attribution; Leadpath attributes a call through its tracking number and session)', 'Recording, Transcription, Tags, Value'],
  mapRow(r) {
    const answeredText = cell(r, 'answered').toLowerCase();
    let status: string;
    if (ANSWERED.has(answeredText)) status = 'answered';
    else if (MISSED.has(answeredText)) status = 'missed';
    else if (answeredText === '') status = Number(cell(r, 'duration') || '0') > 0 ? 'answered' : 'missed';
    else return new PresetRowIssue('answered', cell(r, 'answered'), 'not a call status CallRail writes (yes/no, answered/missed/voicemail/abandoned)');
    const started = normalizeDateTime(cell(r, 'start'), 'mdy');
    return {
      call_id: firstOf(r, 'id') || `callrail:${started}:${cell(r, 'caller').replace(/\D/g, '')}:${cell(r, 'tracking').replace(/\D/g, '')}`,
      started_at: started,
      caller_phone: cell(r, 'caller'),
      tracking_number: cell(r, 'tracking'),
      duration_sec: normalizeDuration(cell(r, 'duration')),
      status,
      manager: cell(r, 'agent'),
      region: cell(r, 'city'),
    };
  },
});
