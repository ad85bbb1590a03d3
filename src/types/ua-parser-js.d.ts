declare module 'ua-parser-js' {
  interface UAResultBrowser {
    name?: string;
    version?: string;
  }
  class UAParser {
    constructor(ua?: string);
    getBrowser(): UAResultBrowser;
  }
  export { UAParser };
  export default UAParser;
}
