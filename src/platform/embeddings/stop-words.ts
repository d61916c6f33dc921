/** Function words carry grammar, not meaning; averaging them in pulls every text together. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being it its it's this that
  these those i i'm you you're he she we they me my your our their his her them us do does did not no so than then
  too very can will just about into over out up down what which who whom how when where why there here all any some
  each more most such own same only also am have has had would could should may might must shall let get got`
    .split(/\s+/)
    .filter(Boolean),
);
