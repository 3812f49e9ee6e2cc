import { ShopHome } from './shop';
import { collector, decide } from './server-decisions';

type Query = Record<string, string | string[] | undefined>;

/** A server component: decides this request's slots, hands the decisions to the client provider. */
export default async function Home({ searchParams }: { searchParams: Promise<Query> }) {
  return <ShopHome serverDecisions={await decide('/', await searchParams)} collector={collector()} />;
}
