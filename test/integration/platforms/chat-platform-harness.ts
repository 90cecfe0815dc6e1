/**
 * @module What a chat platform provides to run the shared platform suite (describe-chat-platform.ts): start the
 * real bot with the platform's real library against the platform's fake server, send what a user sends, and read
 * what the bot posted, in platform-neutral terms. `M` is the platform's own message type (a Slack message, a
 * Discord message…); the suite only passes messages back to the harness and reads their text through `text`.
 *
 * The required part is what every platform can do (post a brief in a channel). The optional capabilities are
 * what some platforms have: a scenario that needs one is skipped for a platform without it. To register a new
 * platform: write `<platform>-harness.ts` next to this file and a `<platform>-platform.test.ts` that calls
 * `describeChatPlatform(create<Platform>Harness())`.
 */
import type { Clock, Harness } from '../../helpers/bot-harness.ts';

/** An answer only the person who asked sees (Slack: an ephemeral response; Discord: an ephemeral interaction reply). */
export interface PrivateAnswer {
  /** Everything the asker reads in it. */
  text: string;
  /** True when the platform shows it to the asker alone. */
  private: boolean;
}

export interface ChatPlatformHarness<M> {
  /** Shown in the suite's names: "slack", "discord"… */
  readonly name: string;

  /** Starts the platform's fake server (before each test). */
  setUp(): Promise<void>;
  /**
   * Starts the real bot on these feeds with one channel of this platform (briefs at 08:00, updates at most every
   * minute) and the platform's real client library talking to the fake. The suite closes the harness it returns.
   */
  startBot(feedUrls: readonly string[], clock: Clock): Promise<Harness>;
  /** Stops the fake server (after each test, once the bot is closed). */
  tearDown(): Promise<void>;

  /** The bot's public top-level messages in the channel, oldest first (not what only an asker sees). */
  channelMessages(): M[];
  /** Every public message the bot posted in the channel, thread replies included. */
  allMessages(): M[];
  /** Everything a reader sees in a message: its text and the text of its blocks, embeds and fields. */
  text(message: M): string;
  /** Fails the test if a message breaks the platform's limits (length, number of blocks or embeds…). */
  expectWithinLimits(message: M): void;
  /** How the platform words what the suite checks, where platforms word it their own way. */
  wording: {
    /** The parent message of the brief `/brief <topic>` posts, on `events` events. */
    briefHeading(topic: string, events: number): RegExp;
    /** The private answer to `/brief <topic>` when nothing in the news matches. */
    noMatch(topic: string): RegExp;
  };

  /** The platform has threads: a brief is a parent message with one reply per event in its thread. */
  threads?: {
    /** The bot's public replies in the thread under `parent`, oldest first (without the parent). */
    replies(parent: M): M[];
    /** How many threads the channel has. */
    count(): number;
  };
  /** People can type `/brief <topic>` in the channel. */
  slashCommands?: {
    /** A user sends `/brief <topic>` in the channel; resolves with the answer only they see. */
    brief(topic: string): Promise<PrivateAnswer>;
  };
  /** The bot reads what people write in its threads (e.g. "sources"). Needs `threads`. */
  threadMessages?: {
    /** A user writes `text` in the thread under `parent`. */
    send(parent: M, text: string): Promise<void>;
  };
  /** Each event's message carries a Sources button. Needs `threads`. */
  sourcesButton?: {
    /** A user presses the Sources button of `event`, a message in the thread under `parent`. */
    click(parent: M, event: M): Promise<void>;
  };
  /**
   * The platform can find a message the bot already posted, so a delivery left in doubt by a crash (posted, but
   * not recorded) is not posted again.
   */
  findsPostedMessages?: boolean;
}
