// Perspective's documented Node.js sample, unchanged but for where DISCOVERY_URL, API_KEY and the text
// come from (the test passes them in the environment) and exiting non-zero on an error.
const {google} = require('googleapis');

const API_KEY = process.env.API_KEY;
const DISCOVERY_URL = process.env.DISCOVERY_URL;

google.discoverAPI(DISCOVERY_URL)
    .then(client => {
      const analyzeRequest = {
        comment: {
          text: process.env.COMMENT_TEXT,
        },
        requestedAttributes: {
          TOXICITY: {},
        },
      };

      client.comments.analyze(
          {
            key: API_KEY,
            resource: analyzeRequest,
          },
          (err, response) => {
            if (err) {
              console.error(err);
              process.exit(1);
            }
            console.log(JSON.stringify(response.data, null, 2));
          });
    })
    .catch(err => {
      console.error(err);
      process.exit(1);
    });
