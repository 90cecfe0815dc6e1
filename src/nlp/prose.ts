/**
 * @module Pure: whether a paragraph of an article is prose to quote, or page furniture that rode
 * along with it: a photo caption, a credit, a subheading, a "Read more" teaser line.
 */

/** Lines that are not prose: captions, credits, subheadings, read-more teasers. */
const NOT_PROSE =
  /^(?:pictured|photo(?:graph)?|image|video|watch|listen|read more|related|more from|see also|caption|credit|file photo|getty images|reuters|ap photo|afp)\b|\((?:photo|picture|image|file)\b[^)]*\)\s*$|^(?:[\p{Lu}][\p{L}'’-]*\s+){0,8}[\p{Lu}][\p{L}'’-]*$/iu;

/** A paragraph that reads as prose: a sentence with a verb and an end, not a caption or a heading. */
export function isProseParagraph(paragraph: string): boolean {
  if (NOT_PROSE.test(paragraph)) return false;
  // A subheading: short and without a full stop at the end.
  if (paragraph.split(/\s+/).length <= 10 && !/[.!?”"’)]$/.test(paragraph)) return false;
  return true;
}
