/**
 * Short own-written news items for clustering tests: several events, each reported by several
 * outlets in different words, plus look-alike events that must stay apart.
 */
export interface Story {
  id: string;
  title: string;
  text: string;
  outlet: string;
  publishedAt: string;
}

export const BRIDGE: Story[] = [
  {
    id: 'bridge-1',
    outlet: 'Harbour Gazette',
    publishedAt: '2025-06-02T07:10:00Z',
    title: 'Road bridge over the Oder collapses near Tarnica, two drivers missing',
    text: 'A section of the road bridge over the Oder river near Tarnica collapsed before dawn on Monday, sending two cars into the water, the regional fire service said.\nRescuers were searching for two drivers who were still missing, fire service spokesman Piotr Halas told reporters. A third driver was pulled from the river with minor injuries.\nThe 1970s bridge had been due for repairs next year.',
  },
  {
    id: 'bridge-2',
    outlet: 'Northline Wire',
    publishedAt: '2025-06-02T08:05:00Z',
    title: 'Divers search Oder after Tarnica bridge gives way',
    text: 'Divers were searching the Oder on Monday after part of the Tarnica bridge gave way under morning traffic, officials said.\nTwo motorists are unaccounted for, according to the fire service, whose spokesman Piotr Halas said the current was hampering the search. One man was rescued.\nThe transport ministry ordered checks on bridges of the same design.',
  },
  {
    id: 'bridge-3',
    outlet: 'The Meridian Post',
    publishedAt: '2025-06-02T11:40:00Z',
    title: 'Tarnica bridge collapse: what we know',
    text: 'Engineers warned three years ago that the Tarnica crossing over the Oder needed urgent work, documents seen by the Post show.\nThe span collapsed on Monday morning. Two people are missing and one was injured, the fire service said.\nTransport Minister Ewa Rudnik said an inquiry would examine why repairs had been postponed.',
  },
  {
    id: 'bridge-4',
    outlet: 'Valley Courier',
    publishedAt: '2025-06-03T06:30:00Z',
    title: 'Second body recovered from Oder after Tarnica bridge collapse',
    text: 'Rescuers recovered the body of the second missing driver from the Oder on Tuesday, a day after the Tarnica bridge collapse, the fire service said.\nTransport Minister Ewa Rudnik visited the site and promised an inquiry into why repairs to the bridge had been delayed.',
  },
];

export const FLOOD: Story[] = [
  {
    id: 'flood-1',
    outlet: 'Valley Courier',
    publishedAt: '2025-06-02T09:00:00Z',
    title: 'Floodwater forces 2,000 from homes in Lisky',
    text: 'Floodwater from the Varna river reached the old town of Lisky on Monday, forcing about 2,000 residents to leave their homes, the regional emergency service said.\nPumps were running at three points along the embankment. Mayor Olena Bard said schools would stay closed.',
  },
  {
    id: 'flood-2',
    outlet: 'Northline Wire',
    publishedAt: '2025-06-02T10:15:00Z',
    title: 'Varna river bursts banks in Lisky, thousands evacuated',
    text: 'The Varna burst its banks in Lisky on Monday and about 2,000 people were evacuated, emergency officials said.\nLisky mayor Olena Bard asked residents not to drive through flooded streets as pumps worked along the embankment.',
  },
  {
    id: 'flood-3',
    outlet: 'Harbour Gazette',
    publishedAt: '2025-06-02T13:20:00Z',
    title: 'Lisky evacuated as Varna floods old town',
    text: 'Residents of Lisky waded through knee-deep water on Monday after the Varna flooded the old town. Around 2,000 people left their homes, the emergency service said, and Mayor Olena Bard closed schools.',
  },
];

/** Two earthquakes that read alike, ten days apart. */
export const QUAKES: Story[] = [
  {
    id: 'quake-sumatra-1',
    outlet: 'Northline Wire',
    publishedAt: '2025-07-01T03:20:00Z',
    title: 'Magnitude 6.1 earthquake strikes off Sumatra, tsunami warning lifted',
    text: 'A magnitude 6.1 earthquake struck off the west coast of Sumatra early on Tuesday, Indonesia’s geophysics agency BMKG said, and a brief tsunami warning was lifted an hour later.\nBuildings shook in Padang, where residents ran into the streets. There were no immediate reports of casualties.',
  },
  {
    id: 'quake-sumatra-2',
    outlet: 'Harbour Gazette',
    publishedAt: '2025-07-01T05:00:00Z',
    title: 'Strong quake rattles Padang as 6.1 tremor hits Sumatra coast',
    text: 'Residents of Padang fled their homes when a 6.1-magnitude tremor hit the Sumatra coast on Tuesday, BMKG said. The agency briefly issued a tsunami warning before lifting it. Local officials reported cracked walls but no deaths.',
  },
  {
    id: 'quake-java-1',
    outlet: 'Northline Wire',
    publishedAt: '2025-07-11T14:05:00Z',
    title: 'Magnitude 6.4 earthquake strikes Java, tsunami warning lifted',
    text: 'A magnitude 6.4 earthquake struck off the southern coast of Java on Friday, Indonesia’s geophysics agency BMKG said, and a tsunami warning was lifted after two hours.\nBuildings shook in Yogyakarta, where residents ran into the streets. At least three people were injured.',
  },
  {
    id: 'quake-java-2',
    outlet: 'Harbour Gazette',
    publishedAt: '2025-07-11T16:30:00Z',
    title: 'Yogyakarta shaken as 6.4 quake hits off Java',
    text: 'A 6.4-magnitude quake off Java shook Yogyakarta on Friday, BMKG said. The agency lifted a tsunami warning after two hours. Three people were hurt by falling debris, local officials said.',
  },
];
