/** Stand-in for k6/execution: the scenario, VU and test the tests set in the shared state. */
import { k6 } from './state';

export default {
  get scenario() {
    return k6().exec.scenario;
  },
  get vu() {
    return k6().exec.vu;
  },
  get test() {
    return k6().exec.test;
  },
};
