/**
 * @module Pure: the English sentences briefbot says to people, whatever the platform: the answers
 * to `/brief` and to a sources request, and the words of the no-match and empty replies. Topics and
 * titles are passed in already escaped for the platform's markup; each platform picks the sentences
 * it shows (Slack and Discord word a few of them differently, and keep doing so).
 */
import { plural } from './labels.ts';

/** Where a brief asked for in a conversation is posted. */
export type BriefPlace = 'this channel' | 'this thread';

/** The answer to `/brief` when the brief is planned: posting it now, or already posted a moment ago. */
export function briefPlannedReply(topic: string, events: number, fresh: boolean, place: BriefPlace): string {
  const what = plural(events, 'event');
  return fresh
    ? `Posting a brief on “${topic}” in ${place}: ${what}.`
    : `A brief on “${topic}” (${what}) was posted in ${place} a moment ago.`;
}

/** Slack: the brief shown to the asker alone in a conversation the bot is not a member of. */
export function previewNotMemberReply(topic: string): string {
  return `I can't post in this conversation — I'm not a member of it. Here is the brief on “${topic}”, visible only to you; invite me (\`/invite @briefbot\`) to post briefs here for everyone.`;
}

/** Discord: the brief shown to the asker alone where briefs are not posted (a DM, a voice channel…). */
export function previewNotHereReply(topic: string): string {
  return `I can't post a brief here, so here it is on “${topic}”, visible only to you. Ask in a text channel, a thread or a forum post to share it.`;
}

/** Before the no-match reply when `/brief` was sent without a topic (Slack). */
export const EMPTY_TOPIC_HINT = 'Tell me what about: `/brief kursk`, `/brief election`. ';

/** When there is not even a no-match message to show. */
export const NOTHING_MATCHED = 'Nothing matched.';

/** `/brief` failed (Slack). */
export const BRIEF_FAILED = 'Sorry, the brief could not be prepared. Please try again in a minute.';

/** A command or button failed after it was acknowledged (Discord). */
export const REQUEST_FAILED = 'Sorry, that could not be done. Please try again in a minute.';

/** `/sources` typed outside a thread. */
export const SOURCES_OUTSIDE_THREAD = 'Use /sources inside a briefing thread.';

/** The answer to `/sources` in a thread: coming up, or this is no brief's thread. */
export function sourcesReply(found: boolean): string {
  return found ? 'Sources coming up in this thread.' : 'This thread is not a briefing thread.';
}

/** A brief with no events. */
export const NO_NEW_EVENTS = 'No new events.';

/** A sources page with nothing on it. */
export const NO_SOURCES = 'No sources.';

/** Slack's no-match opening: "Nothing in the recent news matched “kursk”." */
export function nothingInTheNews(topic: string): string {
  return topic ? `Nothing in the recent news matched “${topic}”.` : 'Nothing in the recent news matched.';
}

/** Introduces the latest events listed instead of a match. */
export const THE_LATEST_EVENTS = 'The latest events:';

/** Slack: no match and no events at all. */
export const NO_EVENTS_YET = 'There are no events yet; try again after the next poll.';

/** Slack: under the latest events of a no-match reply. */
export const TRY_A_HEADLINE_WORD = 'Try a name, place or word from one of these headlines.';

/** Discord: the no-match title. */
export function nothingRecentOn(topic: string): string {
  return `Nothing recent on “${topic}”`;
}

/** Discord: no event matches the topic of `/brief`. */
export const NO_RECENT_MATCH = 'No recent event matches that topic.';

/** Discord: no match and no events at all. */
export const NO_RECENT_MATCH_NO_EVENTS = 'No recent event matches that topic, and there are no events yet.';
