// /: what the lake holds, what changed lately, and whether the server is well.
import './home.css'
import { LakeSummary } from './LakeSummary'
import { RecentRuns, RecentSnapshots } from './RecentActivity'
import { ServerHealth } from './ServerHealth'

export default function HomePage() {
  return (
    <div className="home">
      <h1>Home</h1>
      <LakeSummary />
      <div className="home-columns">
        <RecentSnapshots />
        <RecentRuns />
      </div>
      <ServerHealth />
    </div>
  )
}
