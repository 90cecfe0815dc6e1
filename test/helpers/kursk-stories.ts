/**
 * Own-written reports of one event for chat tests (facts as in the April 2025 news, wording ours):
 * Moscow says the Kursk region is retaken, Kyiv says its troops still hold ground there, and the two
 * sides give different figures for the North Korean troops involved. Plus a later report that adds a
 * new source to the same event (for thread updates).
 */
import type { Story } from './stories.ts';

export const KURSK: Story[] = [
  {
    id: 'kursk-1',
    outlet: 'Northline Wire',
    publishedAt: '2025-04-26T10:05:00Z',
    title: 'Moscow says Kursk region retaken, Kyiv disputes claim',
    text: 'Russia’s chief of the general staff, Valery Gerasimov, told President Vladimir Putin on Saturday that the last Ukrainian units had been driven out of the Kursk region, ending an incursion that began last August.\nPutin called the operation a complete success, according to a Kremlin readout of the meeting.\nUkraine’s General Staff rejected the claim, saying its forces were still holding positions in the region and that the situation was difficult but under control.\nGerasimov also said for the first time that North Korean soldiers had fought alongside Russian troops in the region.',
  },
  {
    id: 'kursk-2',
    outlet: 'Harbour Gazette',
    publishedAt: '2025-04-26T12:40:00Z',
    title: 'Ukraine denies losing last foothold in Russia’s Kursk region',
    text: 'Ukraine’s General Staff said on Saturday that its units continued to hold defensive lines inside Russia’s Kursk region, hours after Moscow announced that the area had been fully liberated.\nUkrainian officials said their troops still controlled roughly 30 square kilometres near the border, down from more than 1,000 square kilometres last summer.\nRussia’s defence ministry said it had destroyed the remaining Ukrainian groups near the village of Gornal.',
  },
  {
    id: 'kursk-3',
    outlet: 'Valley Courier',
    publishedAt: '2025-04-26T15:15:00Z',
    title: 'Russia confirms North Korean troops fought in Kursk',
    text: 'Russia acknowledged on Saturday that North Korean soldiers had taken part in the fighting in the Kursk region, after months of declining to comment on their presence.\nWestern and South Korean intelligence agencies have estimated that between 10,000 and 12,000 North Korean troops were sent to the region late last year.\nUkraine’s military intelligence has put the number at more than 12,000.\nGerasimov praised the North Korean units for what he called their heroism, according to Russian state media.',
  },
];

/** A later report on the same event: a fourth outlet, for the update in the event's thread. */
export const KURSK_LATER: Story = {
  id: 'kursk-4',
  outlet: 'The Meridian Post',
  publishedAt: '2025-04-26T19:30:00Z',
  title: 'Kursk: Kyiv insists its troops remain as Moscow declares victory',
  text: 'Kyiv maintained on Saturday evening that Ukrainian troops were still fighting inside the Kursk region, contradicting the Kremlin’s declaration that the incursion had been defeated.\nUkraine’s General Staff said its units held positions in the region and called Moscow’s statement propaganda.\nRussian President Vladimir Putin congratulated the army on what he called the complete defeat of the Ukrainian incursion.',
};
