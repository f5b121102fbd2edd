'use strict';
// A new contract in the admin: once the customer is chosen, the page reloads with it so that the
// installations list offers only that customer's installations (what was typed so far is kept).
window.addEventListener('load', function () {
  const $ = window.django && window.django.jQuery;
  const customer = document.getElementById('id_customer');
  if (!$ || !customer || !/\/add\/$/.test(window.location.pathname)) {
    return;
  }
  // The admin itself triggers "change" on page load (to update the related-object links): only a
  // different customer reloads.
  const shown = customer.value;
  $(customer).on('change', function () {
    if (customer.value === shown) {
      return;
    }
    const params = new URLSearchParams(window.location.search);
    const form = customer.form;
    for (const name of ['number', 'plan', 'start_date', 'end_date', 'duration_months']) {
      const field = form.elements.namedItem(name);
      if (field && field.value) {
        params.set(name, field.value);
      }
    }
    if (customer.value) {
      params.set('customer', customer.value);
    } else {
      params.delete('customer');
    }
    window.location.search = params.toString();
  });
});
